//! "En-tête des devis": what quotes print about the company (name, address, SIRET, RCS,
//! VAT number, payment terms, logo). Whoever may edit the settings changes it here; the
//! others see it read-only. The checks (SIRET key, VAT number, a JPEG of 100 KB at most)
//! are crm-core's: a refusal shows next to its field. It is a local change, so it works
//! offline and goes to the server with the next sync.

import { api, type CompanyInfo } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { may } from '../session';
import { definitionRows } from './DefinitionList';
import { FormError, formField, messageOf, whileBusy } from './FormField';

/** The text fields, each named as the settings record's field, so a refusal naming it
 *  lands next to its input. */
const TEXT_FIELDS = [
  { key: 'name', field: 'company', label: 'company.name', multiline: false, hint: null },
  { key: 'address', field: 'company_address', label: 'company.address', multiline: true, hint: null },
  { key: 'siret', field: 'company_siret', label: 'company.siret', multiline: false, hint: 'company.siretHint' },
  { key: 'rcs', field: 'company_rcs', label: 'company.rcs', multiline: false, hint: 'company.rcsHint' },
  { key: 'vat_number', field: 'company_vat', label: 'company.vat', multiline: false, hint: 'company.vatHint' },
  { key: 'payment_terms', field: 'payment_terms', label: 'company.paymentTerms', multiline: true, hint: 'company.paymentTermsHint' },
] as const;

type TextKey = (typeof TEXT_FIELDS)[number]['key'];

export class CompanyHeaderCard {
  readonly el: HTMLElement;
  private readonly editable = may('edit', 'settings');
  private readonly error = new FormError();
  private readonly inputs = {} as Record<TextKey, HTMLInputElement | HTMLTextAreaElement>;
  private readonly logo: HTMLInputElement;
  private readonly logoStatus: HTMLElement;
  private readonly saved: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly form: HTMLFormElement;
  private readonly details: HTMLElement;

  constructor() {
    for (const { key, field, multiline } of TEXT_FIELDS) {
      this.inputs[key] = multiline
        ? h('textarea', { id: `company-${key.replace('_', '-')}`, name: field, rows: 2 })
        : h('input', { id: `company-${key.replace('_', '-')}`, name: field, type: 'text' });
    }
    this.logo = h('input', { id: 'company-logo', name: 'company_logo', type: 'file', accept: 'image/jpeg' });
    this.logoStatus = h('p', { id: 'company-logo-status', class: 'muted' });
    this.saved = h('p', { id: 'company-saved', class: 'toast', role: 'status', hidden: true });
    this.button = h('button', { id: 'company-save', type: 'submit', class: 'button button-primary' }, t('form.save'));
    this.form = h(
      'form',
      { id: 'company-form', class: 'record-form', novalidate: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h(
        'div',
        { class: 'form-grid' },
        ...TEXT_FIELDS.map(({ key, label, hint, multiline }) =>
          formField(t(label), this.inputs[key], { hint: hint ? t(hint) : undefined, span: multiline ? 2 : undefined }),
        ),
        formField(t('company.logo'), this.logo, { hint: t('company.logoHint'), span: 2 }),
      ),
      this.logoStatus,
      this.error.el,
      this.saved,
      h('div', { class: 'form-actions' }, this.button),
    );
    this.details = h('dl', { id: 'company-details', class: 'details' });
    this.el = h(
      'section',
      { id: 'company-card', class: 'card', 'aria-labelledby': 'company-card-title' },
      h('div', { class: 'card-header' }, h('h2', { id: 'company-card-title' }, t('company.title'))),
      h('p', { class: 'muted' }, t(this.editable ? 'company.help' : 'company.readOnly')),
      this.editable ? this.form : this.details,
      this.editable ? null : this.error.el,
    );
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.show(await api.companyInfo());
    } catch (reason) {
      this.error.show(messageOf(reason));
    }
  }

  private show(info: CompanyInfo): void {
    if (this.editable) {
      for (const { key } of TEXT_FIELDS) this.inputs[key].value = info[key] ?? '';
      this.logo.value = '';
      this.logoStatus.textContent = t(info.has_logo ? 'company.logoSaved' : 'company.noLogo');
      return;
    }
    replaceChildren(
      this.details,
      ...definitionRows([
        ...TEXT_FIELDS.map(({ key, field, label }): [string, string | null, string] => [t(label), info[key], field]),
        [t('company.logo'), info.has_logo ? t('company.logoSaved') : null, 'company_logo'],
      ]),
    );
  }

  private async save(): Promise<void> {
    this.error.clear();
    this.saved.hidden = true;
    const info: CompanyInfo = {
      name: this.inputs.name.value,
      address: this.inputs.address.value,
      siret: this.inputs.siret.value,
      rcs: this.inputs.rcs.value,
      vat_number: this.inputs.vat_number.value,
      payment_terms: this.inputs.payment_terms.value,
      has_logo: false, // Not read: the logo travels apart, as the file chosen.
    };
    await whileBusy(this.button, t('form.saving'), async () => {
      try {
        this.show(await api.setCompanyInfo(info, this.logo.files?.[0] ?? null));
        this.saved.textContent = t('company.saved');
        this.saved.hidden = false;
      } catch (reason) {
        this.error.showFor(reason, this.form);
      }
    });
  }
}
