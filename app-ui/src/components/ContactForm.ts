//! The contact form: "Nouveau contact" on an account page, "Modifier" on a contact's page.
//! RGPD consent to e-mailing and to phone prospecting is asked with the rest; the date it
//! was given or withdrawn is recorded when either answer changes. On edit only the fields
//! that changed are sent. While the name, e-mail or a phone is typed, a box above
//! « Enregistrer » names the contacts of the company it may duplicate (`DuplicateWarning`).

import { api, type Contact, type Fields } from '../api';
import { choiceLabel, choicesOf, todayYmd } from '../format';
import { h } from '../dom';
import { t, type MessageKey } from '../i18n';
import { DuplicateWarning } from './DuplicateWarning';
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
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly shell: FormShell;
  private readonly duplicates: DuplicateWarning;
  /** The contact being edited; null for a new one. */
  private original: Contact | null = null;

  constructor(private readonly accountId: string, private readonly onCreated: (contact: Contact) => void, onCancel: () => void) {
    for (const field of FIELDS) {
      this.inputs.set(field.name, h('input', { name: field.name, type: field.type, autocomplete: field.autocomplete }));
    }
    // Consent: unknown until asked, then yes or no (the core's list).
    const consent = (name: string) =>
      h(
        'select',
        { name },
        h('option', { value: '' }, t('contact.consentUnknown')),
        ...choicesOf(`contact.${name}`).map((c) => h('option', { value: c.id }, choiceLabel([c], c.id))),
      );
    this.inputs.set('consent_email', consent('consent_email'));
    this.inputs.set('consent_phone', consent('consent_phone'));
    this.duplicates = new DuplicateWarning({
      recordType: 'contact',
      values: () => ({
        ...Object.fromEntries([...this.inputs].map(([name, input]) => [name, input.value])),
        account: this.original?.account ?? this.accountId,
      }),
      self: () => this.original?.id ?? null,
    });
    this.duplicates.watch(...['name', 'email', 'phone', 'mobile'].map((name) => this.inputs.get(name)!));
    this.shell = new FormShell(
      { id: 'contact-form', class: 'inline-form' },
      { onSubmit: () => void this.save(), onCancel: () => { this.close(); onCancel(); } },
      h(
        'div',
        { class: 'form-grid' },
        ...FIELDS.map((field) => formField(t(field.label), this.inputs.get(field.name)!)),
        formField(t('field.consent_email'), this.inputs.get('consent_email')!),
        formField(t('field.consent_phone'), this.inputs.get('consent_phone')!),
      ),
      this.duplicates.el,
    );
    this.el = this.shell.el;
  }

  /** Opens the form on `contact`, or empty for a new one; `preset` fills a new contact's
   *  fields already known (an unknown caller's phone number). */
  open(contact: Contact | null = null, preset: Readonly<Record<string, string>> = {}): void {
    this.original = contact;
    for (const [name, input] of this.inputs) {
      const value = contact ? (contact as unknown as Record<string, unknown>)[name] : preset[name];
      input.value = value == null ? '' : String(value);
    }
    this.el.hidden = false;
    this.duplicates.clear();
    this.inputs.get('name')!.focus();
  }

  close(): void {
    this.duplicates.clear();
    this.shell.close();
  }

  private async save(): Promise<void> {
    const original = this.original;
    if (original) {
      const changed: Fields = {};
      for (const [name, input] of this.inputs) {
        const before = (original as unknown as Record<string, unknown>)[name];
        const old = before == null || before === '' ? null : String(before);
        const now = input.value.trim() === '' ? null : input.value.trim();
        if (old !== now) changed[name] = now;
      }
      if ('consent_email' in changed || 'consent_phone' in changed) changed.consent_date = todayYmd();
      await this.shell.save(
        () => (Object.keys(changed).length ? api.editRecord<Contact>(original.id, changed) : Promise.resolve(original)),
        () => this.close(),
        (contact) => this.onCreated(contact),
      );
      return;
    }
    const fields: Fields = { account: this.accountId };
    for (const [name, input] of this.inputs) {
      const value = input.value.trim();
      if (value !== '') fields[name] = value;
    }
    if (fields.consent_email || fields.consent_phone) fields.consent_date = todayYmd();
    await this.shell.save(() => api.createRecord<Contact>('contact', fields), () => this.close(), (contact) => this.onCreated(contact));
  }
}
