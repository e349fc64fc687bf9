//! The form of a contract: a new one entered for an account (the running contracts of an
//! existing customer), or an existing one edited or renewed: type, status, dates, renewal
//! terms and billing. On edit only the fields that changed are sent, so an untouched
//! field never competes with someone else's concurrent edit. The core validates, checks
//! the type against the company's settings, and recomputes the renewal dates.

import { api, type ContractView, type Fields } from '../api';
import { h, replaceChildren } from '../dom';
import { choicesOf, choiceLabel, contractTypeLabel, todayYmd } from '../format';
import { NEW_CONTRACT_STATUS } from '../generated/vocabulary';
import { t, type MessageKey } from '../i18n';
import { salesSettings } from '../stages';
import { FormError, formField, whileBusy } from './FormField';

const FIELDS = ['contract_type', 'status', 'start', 'end', 'tacit_renewal', 'term_months', 'notice_months', 'billing_amount', 'billing_period'] as const;

export class ContractForm {
  readonly el: HTMLFormElement;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;
  private original: ContractView | null = null;
  /** The account of a new contract (create mode). */
  private accountId: string | null = null;
  private readonly heading: HTMLElement;

  constructor(private readonly onSaved: (contract: ContractView) => void, private readonly onCancel: () => void) {
    // The values of each list come from the core's vocabulary.
    const options = (key: string, empty: boolean) => [
      empty ? h('option', { value: '' }, t('account.empty')) : null,
      ...choicesOf(key).map((choice) => h('option', { value: choice.id }, choiceLabel([choice], choice.id))),
    ];
    this.inputs.set('contract_type', h('select', { name: 'contract_type' }));
    this.inputs.set('status', h('select', { name: 'status' }, ...options('contract.status', false)));
    this.inputs.set('start', h('input', { name: 'start', type: 'date' }));
    this.inputs.set('end', h('input', { name: 'end', type: 'date' }));
    this.inputs.set(
      'tacit_renewal',
      h('select', { name: 'tacit_renewal' }, h('option', { value: 'yes' }, t('common.yes')), h('option', { value: 'no' }, t('common.no'))),
    );
    this.inputs.set('term_months', h('input', { name: 'term_months', type: 'number', min: '0', step: '1' }));
    this.inputs.set('notice_months', h('input', { name: 'notice_months', type: 'number', min: '0', step: '1' }));
    this.inputs.set('billing_amount', h('input', { name: 'billing_amount', type: 'text', inputmode: 'decimal', autocomplete: 'off' }));
    this.inputs.set('billing_period', h('select', { name: 'billing_period' }, ...options('contract.billing_period', true)));
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('form.save'));
    this.heading = h('h2', {}, t('contract.edit'));

    this.el = h(
      'form',
      { id: 'contract-form', class: 'card record-form', novalidate: true, hidden: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h('div', { class: 'card-header' }, this.heading),
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

  /** A new contract for `accountId`: active, renewed tacitly, as most running contracts. */
  openNew(accountId: string): void {
    this.original = null;
    this.accountId = accountId;
    this.heading.textContent = t('contract.new');
    this.fillTypes(null);
    for (const input of this.inputs.values()) input.value = '';
    this.inputs.get('status')!.value = NEW_CONTRACT_STATUS;
    this.inputs.get('tacit_renewal')!.value = 'yes';
    this.inputs.get('start')!.value = todayYmd();
    this.show();
  }

  open(contract: ContractView): void {
    this.original = contract;
    this.accountId = null;
    this.heading.textContent = t('contract.edit');
    this.fillTypes(contract.contract_type ?? null);
    for (const [name, input] of this.inputs) {
      const value = (contract as unknown as Record<string, unknown>)[name];
      input.value = value == null ? '' : String(value);
    }
    if (!contract.tacit_renewal) this.inputs.get('tacit_renewal')!.value = 'no';
    this.show();
  }

  private show(): void {
    this.error.clear();
    this.el.hidden = false;
    this.inputs.get('contract_type')!.focus();
  }

  /** The company's contract types, plus the contract's own if it is no longer configured. */
  private fillTypes(own: string | null): void {
    const types = salesSettings().contract_types.map((type) => type.id);
    if (own && !types.includes(own)) types.push(own);
    replaceChildren(
      this.inputs.get('contract_type')!,
      h('option', { value: '' }, t('account.empty')),
      ...types.map((type) => h('option', { value: type }, contractTypeLabel(type))),
    );
  }

  close(): void {
    this.error.clear();
    this.el.hidden = true;
  }

  private async save(): Promise<void> {
    const original = this.original;
    this.error.clear();
    if (!original) {
      if (this.accountId) await this.create(this.accountId);
      return;
    }
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
        const saved = await api.editContract(original.id, changed);
        this.close();
        this.onSaved(saved);
      } catch (reason) {
        this.error.showFor(reason, this.el);
      }
    });
  }

  private async create(accountId: string): Promise<void> {
    const fields: Fields = { account: accountId };
    for (const [name, input] of this.inputs) {
      const value = input.value.trim();
      if (value !== '') fields[name] = value;
    }
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        const saved = await api.createContract(fields);
        this.close();
        this.onSaved(saved);
      } catch (reason) {
        this.error.showFor(reason, this.el);
      }
    });
  }
}
