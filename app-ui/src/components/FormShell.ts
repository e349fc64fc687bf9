//! The frame every record form shares: its fields, the error line, and the Annuler /
//! Enregistrer buttons; saving disables the button and shows the problem next to the
//! field at fault on failure.

import { h } from '../dom';
import { t } from '../i18n';
import { FormError, whileBusy } from './FormField';

type Child = Node | null;

export class FormShell {
  readonly el: HTMLFormElement;
  readonly error = new FormError();
  private readonly submit: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;

  /** `onSubmit` runs on Enregistrer, `onCancel` on Annuler. */
  constructor(attrs: { id: string; class: string; submitLabel?: string }, handlers: { onSubmit: () => void; onCancel: () => void }, ...content: Child[]) {
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, attrs.submitLabel ?? t('form.save'));
    this.cancel = h('button', { type: 'button', class: 'button button-secondary', on: { click: handlers.onCancel } }, t('form.cancel'));
    this.el = h(
      'form',
      { id: attrs.id, class: attrs.class, novalidate: true, hidden: true, on: { submit: (event) => { event.preventDefault(); handlers.onSubmit(); } } },
      ...content,
      this.error.el,
      h(
        'div',
        { class: 'form-actions' },
        this.cancel,
        this.submit,
      ),
    );
  }

  /** A record the user may look at but not change: no Enregistrer, and Annuler says
   *  Fermer. The caller disables the fields. */
  setReadOnly(readOnly: boolean): void {
    this.submit.hidden = readOnly;
    this.cancel.textContent = readOnly ? t('form.close') : t('form.cancel');
  }

  /** Gives the focus to Annuler (Fermer), the one button of a read-only form. */
  focusCancel(): void {
    this.cancel.focus();
  }

  /** Empties the fields and the error, and hides the form. */
  close(): void {
    this.el.reset();
    this.error.clear();
    this.el.hidden = true;
  }

  /** Runs `create` with the button busy; on success closes via `close` and calls `onSaved`. */
  async save<T>(create: () => Promise<T>, close: () => void, onSaved: (record: T) => void): Promise<void> {
    this.error.clear();
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        const record = await create();
        close();
        onSaved(record);
      } catch (reason) {
        this.error.showFor(reason, this.el);
      }
    });
  }
}
