//! The « Nouvelle piste » form: a card from a fair, a call from someone unknown. The name
//! is required, and an e-mail or a phone to reach the person; the rest (company, place,
//! origin, message, e-mailing consent) feeds the score. Opened from the lead inbox, and
//! from the incoming-call card of an unknown number with that number filled in.

import { api, type Fields, type LeadView } from '../api';
import { h } from '../dom';
import { choiceLabel, choicesOf } from '../format';
import { t, type MessageKey } from '../i18n';
import { formField } from './FormField';
import { FormShell } from './FormShell';

const TEXT_FIELDS: ReadonlyArray<{ name: string; type: string; label: MessageKey; autocomplete: string; hint?: MessageKey }> = [
  { name: 'name', type: 'text', label: 'field.lead.name', autocomplete: 'name' },
  { name: 'company', type: 'text', label: 'field.company', autocomplete: 'organization' },
  { name: 'email', type: 'email', label: 'field.email', autocomplete: 'email' },
  { name: 'phone', type: 'tel', label: 'field.phone', autocomplete: 'tel' },
  { name: 'postal_code', type: 'text', label: 'field.postal_code', autocomplete: 'postal-code' },
  { name: 'city', type: 'text', label: 'field.city', autocomplete: 'address-level2' },
  { name: 'source', type: 'text', label: 'field.source', autocomplete: 'off', hint: 'leads.sourceHint' },
];

export class LeadForm {
  readonly el: HTMLFormElement;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  private readonly shell: FormShell;

  constructor(private readonly onCreated: (lead: LeadView) => void, onCancel: () => void) {
    for (const field of TEXT_FIELDS) {
      this.inputs.set(field.name, h('input', { name: field.name, type: field.type, autocomplete: field.autocomplete }));
    }
    this.inputs.set(
      'consent_email',
      h(
        'select',
        { name: 'consent_email' },
        h('option', { value: '' }, t('leads.consentUnknown')),
        ...choicesOf('lead.consent_email').map((c) => h('option', { value: c.id }, choiceLabel([c], c.id))),
      ),
    );
    this.inputs.set('message', h('textarea', { name: 'message', rows: 3 }));
    this.shell = new FormShell(
      { id: 'lead-form', class: 'inline-form' },
      { onSubmit: () => void this.save(), onCancel: () => { this.close(); onCancel(); } },
      h(
        'div',
        { class: 'form-grid' },
        ...TEXT_FIELDS.map((field) => formField(t(field.label), this.input(field.name), { hint: field.hint ? t(field.hint) : undefined })),
        formField(t('field.consent_email'), this.input('consent_email')),
        formField(t('field.message'), this.input('message'), { wide: true }),
      ),
    );
    this.el = this.shell.el;
  }

  /** Opens the form empty, or with the fields already known (`{phone}` of a caller). */
  open(preset: Readonly<Record<string, string>> = {}): void {
    for (const [name, input] of this.inputs) input.value = preset[name] ?? '';
    this.shell.error.clear();
    this.el.hidden = false;
    this.input('name').focus();
  }

  close(): void {
    this.shell.close();
  }

  private input(name: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
    const input = this.inputs.get(name);
    if (!input) throw new Error(`no input named ${name}`);
    return input;
  }

  private async save(): Promise<void> {
    const value = (name: string) => this.input(name).value.trim();
    // Said before anything is sent, next to the field: a lead nobody can call back is lost.
    if (!value('name')) {
      this.shell.error.showAt(this.input('name'), t('leads.nameRequired'));
      return;
    }
    if (!value('email') && !value('phone')) {
      this.shell.error.showAt(this.input('email'), t('leads.emailOrPhone'));
      return;
    }
    const fields: Fields = {};
    for (const name of this.inputs.keys()) {
      const text = name === 'message' ? this.input(name).value : value(name);
      if (text.trim() !== '') fields[name] = text;
    }
    await this.shell.save(() => api.addLead(fields), () => this.close(), (lead) => this.onCreated(lead));
  }
}
