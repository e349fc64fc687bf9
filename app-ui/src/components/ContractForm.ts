//! The edit form of a contract: type, status, dates, renewal terms and billing. Only the
//! fields that changed are sent (`edit_record`), so an untouched field never competes
//! with someone else's concurrent edit. The backend validates and recomputes the dates.

import { api, type Contract, type Fields } from '../api';
import { h, replaceChildren } from '../dom';
import { billingPeriodLabel, contractStatusLabel, contractTypeLabel } from '../format';
import { t, type MessageKey } from '../i18n';
import { salesSettings } from '../stages';
import { FormError, formField, messageOf, whileBusy } from './FormField';

const STATUSES = ['draft', 'active', 'notice_given', 'ended'] as const;
const PERIODS = ['monthly', 'quarterly', 'yearly'] as const;
const FIELDS = ['contract_type', 'status', 'start', 'end', 'tacit_renewal', 'term_months', 'notice_months', 'billing_amount', 'billing_period'] as const;

export class ContractForm {
  readonly el: HTMLFormElement;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;
  private original: Contract | null = null;

  constructor(private readonly onSaved: (contract: Contract) => void, private readonly onCancel: () => void) {
    const options = (values: readonly string[], label: (value: string) => string, empty: boolean) => [
      empty ? h('option', { value: '' }, t('account.empty')) : null,
      ...values.map((value) => h('option', { value }, label(value))),
    ];
    this.inputs.set('contract_type', h('select', { name: 'contract_type' }));
    this.inputs.set('status', h('select', { name: 'status' }, ...options(STATUSES, contractStatusLabel, false)));
    this.inputs.set('start', h('input', { name: 'start', type: 'date' }));
    this.inputs.set('end', h('input', { name: 'end', type: 'date' }));
    this.inputs.set(
      'tacit_renewal',
      h('select', { name: 'tacit_renewal' }, h('option', { value: 'yes' }, t('common.yes')), h('option', { value: 'no' }, t('common.no'))),
    );
    this.inputs.set('term_months', h('input', { name: 'term_months', type: 'number', min: '0', step: '1' }));
    this.inputs.set('notice_months', h('input', { name: 'notice_months', type: 'number', min: '0', step: '1' }));
    this.inputs.set('billing_amount', h('input', { name: 'billing_amount', type: 'text', inputmode: 'decimal', autocomplete: 'off' }));
    this.inputs.set('billing_period', h('select', { name: 'billing_period' }, ...options(PERIODS, billingPeriodLabel, true)));
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('form.save'));

    this.el = h(
      'form',
      { id: 'contract-form', class: 'card record-form', novalidate: true, hidden: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h('div', { class: 'card-header' }, h('h2', {}, t('contract.edit'))),
      h(
        'div',
        { class: 'form-grid form-grid-3' },
        ...FIELDS.map((name) =>
          formField(t(`field.${name}` as MessageKey), this.inputs.get(name)!, {
            hint: name === 'term_months' || name === 'notice_months' ? t('common.inMonths') : undefined,
          }),
        ),
      ),
      this.error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary', on: { click: () => { this.close(); this.onCancel(); } } }, t('form.cancel')),
        this.submit,
      ),
    );
  }

  open(contract: Contract): void {
    this.original = contract;
    // The company's contract types, plus the contract's own if it is no longer configured.
    const types = salesSettings().contract_types.map((type) => type.id);
    if (contract.contract_type && !types.includes(contract.contract_type)) types.push(contract.contract_type);
    replaceChildren(
      this.inputs.get('contract_type')!,
      h('option', { value: '' }, t('account.empty')),
      ...types.map((type) => h('option', { value: type }, contractTypeLabel(type))),
    );
    for (const [name, input] of this.inputs) {
      const value = (contract as unknown as Record<string, unknown>)[name];
      input.value = value == null ? '' : String(value);
    }
    if (!contract.tacit_renewal) this.inputs.get('tacit_renewal')!.value = 'no';
    this.error.clear();
    this.el.hidden = false;
    this.inputs.get('contract_type')!.focus();
  }

  close(): void {
    this.error.clear();
    this.el.hidden = true;
  }

  private async save(): Promise<void> {
    const original = this.original;
    if (!original) return;
    this.error.clear();
    const changed: Fields = {};
    for (const [name, input] of this.inputs) {
      const before = (original as unknown as Record<string, unknown>)[name];
      const old = before === undefined || before === null || before === '' ? null : String(before);
      const now = input.value.trim() === '' ? null : input.value.trim();
      if (name === 'tacit_renewal' && old === null && now === 'no') continue;
      if (old !== now) changed[name] = now;
    }
    if (Object.keys(changed).length === 0) {
      this.close();
      this.onSaved(original);
      return;
    }
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        const saved = await api.editRecord<Contract>(original.id, changed);
        this.close();
        this.onSaved(saved);
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}
