//! A labelled form field and the error line shown next to a form. Errors are the
//! backend's plain-language messages, shown as they are.

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

  constructor() {
    this.el = h('p', { class: 'form-error', role: 'alert', hidden: true });
  }

  show(message: string): void {
    this.el.textContent = message;
    this.el.hidden = false;
  }

  clear(): void {
    this.el.textContent = '';
    this.el.hidden = true;
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

/** The text to show for a rejected command: the backend's message as it is. */
export function messageOf(reason: unknown): string {
  return reason instanceof ApiError ? reason.message : String(reason);
}
