//! A labelled form field and the errors of a form: the sentence next to the field at
//! fault (highlighted, focused), or on the form's error line when no field is named.

import { ApiError } from '../api';
import { h } from '../dom';

let nextId = 0;

/** Wraps `control` with a <label> bound to it, and an optional hint below. */
export function formField(label: string, control: HTMLElement, options: { hint?: string; wide?: boolean; span?: 2 } = {}): HTMLElement {
  if (!control.id) control.id = `field-${++nextId}`;
  const classes = ['form-field', options.wide ? 'wide' : '', options.span === 2 ? 'span-2' : ''].filter(Boolean).join(' ');
  return h(
    'div',
    { class: classes },
    h('label', { for: control.id }, label),
    control,
    options.hint ? h('small', { class: 'hint' }, options.hint) : null,
  );
}

/** The error line of a form: hidden until `show` is called. */
export class FormError {
  readonly el: HTMLElement;
  private marked: HTMLElement[] = [];

  constructor() {
    this.el = h('p', { class: 'form-error', role: 'alert', hidden: true });
  }

  show(message: string): void {
    this.el.textContent = message;
    this.el.hidden = false;
  }

  /** Shows a rejection: next to its field in `form` when the problem names one that is
   *  there (the field highlighted and focused), on the error line otherwise. */
  showFor(reason: unknown, form: HTMLElement): void {
    this.clear();
    const message = messageOf(reason);
    const field = reason instanceof ApiError ? reason.field : undefined;
    const control = field ? form.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`) : null;
    if (!control) {
      this.show(message);
      return;
    }
    this.showAt(control, message);
  }

  /** Shows `message` next to `control`, highlighted and focused (a check made here, such
   *  as a required field, before anything is sent). */
  showAt(control: HTMLElement, message: string): void {
    this.clear();
    const note = h('small', { class: 'field-error', role: 'alert', id: `${control.id || control.getAttribute('name') || 'field'}-error` }, message);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', note.id);
    control.classList.add('invalid');
    control.insertAdjacentElement('afterend', note);
    this.marked = [control, note];
    control.focus();
  }

  clear(): void {
    this.el.textContent = '';
    this.el.hidden = true;
    const [control, note] = this.marked;
    control?.removeAttribute('aria-invalid');
    control?.removeAttribute('aria-describedby');
    control?.classList.remove('invalid');
    note?.remove();
    this.marked = [];
  }
}

/** Disables a submit button while `work` runs, showing `busyLabel`. */
export async function whileBusy<T>(button: HTMLButtonElement, busyLabel: string, work: () => Promise<T>): Promise<T> {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = busyLabel;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

/** The text to show for a rejected command: the backend's problem, in the user's words. */
export function messageOf(reason: unknown): string {
  return reason instanceof ApiError ? reason.message : String(reason);
}
