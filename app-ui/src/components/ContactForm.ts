//! The "Nouveau contact" form of an account page.

import { api, type Contact, type Fields } from '../api';
import { h } from '../dom';
import { t, type MessageKey } from '../i18n';
import { formField } from './FormField';
import { FormShell } from './FormShell';

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
  private readonly shell: FormShell;

  constructor(private readonly accountId: string, private readonly onCreated: (contact: Contact) => void, onCancel: () => void) {
    for (const field of FIELDS) {
      this.inputs.set(field.name, h('input', { name: field.name, type: field.type, autocomplete: field.autocomplete }));
    }
    this.shell = new FormShell(
      { id: 'contact-form', class: 'inline-form' },
      { onSubmit: () => void this.save(), onCancel: () => { this.close(); onCancel(); } },
      h('div', { class: 'form-grid' }, ...FIELDS.map((field) => formField(t(field.label), this.inputs.get(field.name)!))),
    );
    this.el = this.shell.el;
  }

  open(): void {
    this.el.hidden = false;
    this.inputs.get('name')!.focus();
  }

  close(): void {
    this.shell.close();
  }

  private async save(): Promise<void> {
    const fields: Fields = { account: this.accountId };
    for (const [name, input] of this.inputs) {
      const value = input.value.trim();
      if (value !== '') fields[name] = value;
    }
    await this.shell.save(() => api.createRecord<Contact>('contact', fields), () => this.close(), (contact) => this.onCreated(contact));
  }
}
