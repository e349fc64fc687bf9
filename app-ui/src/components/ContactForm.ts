//! The "Nouveau contact" form of an account page.

import { api, ApiError, type Contact, type Fields } from '../api';
import { h } from '../dom';
import { t, type MessageKey } from '../i18n';
import { FormError, formField, whileBusy } from './FormField';

const FIELDS: ReadonlyArray<{ name: string; type: string; label: MessageKey; autocomplete: string }> = [
  { name: 'name', type: 'text', label: 'field.contact.name', autocomplete: 'name' },
  { name: 'job_title', type: 'text', label: 'field.job_title', autocomplete: 'organization-title' },
  { name: 'phone', type: 'tel', label: 'field.phone', autocomplete: 'tel' },
  { name: 'mobile', type: 'tel', label: 'field.mobile', autocomplete: 'tel' },
  { name: 'email', type: 'email', label: 'field.email', autocomplete: 'email' },
];

export class ContactForm {
  readonly el: HTMLFormElement;
  private readonly inputs = new Map<string, HTMLInputElement>();
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;

  constructor(private readonly accountId: string, private readonly onCreated: (contact: Contact) => void, onCancel: () => void) {
    for (const field of FIELDS) {
      this.inputs.set(field.name, h('input', { name: field.name, type: field.type, autocomplete: field.autocomplete }));
    }
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('form.save'));
    this.el = h(
      'form',
      { id: 'contact-form', class: 'inline-form', novalidate: true, hidden: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h('div', { class: 'form-grid' }, ...FIELDS.map((field) => formField(t(field.label), this.inputs.get(field.name)!))),
      this.error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary', on: { click: () => { this.close(); onCancel(); } } }, t('form.cancel')),
        this.submit,
      ),
    );
  }

  open(): void {
    this.el.hidden = false;
    this.inputs.get('name')!.focus();
  }

  close(): void {
    this.el.reset();
    this.error.clear();
    this.el.hidden = true;
  }

  private async save(): Promise<void> {
    this.error.clear();
    const fields: Fields = { account: this.accountId };
    for (const [name, input] of this.inputs) {
      const value = input.value.trim();
      if (value !== '') fields[name] = value;
    }
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        const contact = await api.createRecord<Contact>('contact', fields);
        this.close();
        this.onCreated(contact);
      } catch (reason) {
        this.error.show(reason instanceof ApiError ? reason.message : String(reason));
      }
    });
  }
}
