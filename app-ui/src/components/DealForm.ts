//! The "Nouvelle affaire" form of the pipeline: account, title, type, amount, priority,
//! expected close date. The backend puts the deal at its type's first stage.

import { api, type Account, type Deal, type DealType, type Fields } from '../api';
import { h, replaceChildren } from '../dom';
import { dealTypeLabel, priorityLabel } from '../format';
import { t } from '../i18n';
import { salesSettings } from '../stages';
import { accountSelect, setAccounts } from './AccountSelect';
import { formField } from './FormField';
import { FormShell } from './FormShell';

const PRIORITIES = ['low', 'normal', 'high'] as const;

export class DealForm {
  readonly el: HTMLFormElement;
  private readonly account: HTMLSelectElement;
  private readonly title: HTMLInputElement;
  private readonly dealType: HTMLSelectElement;
  private readonly amount: HTMLInputElement;
  private readonly priority: HTMLSelectElement;
  private readonly expectedClose: HTMLInputElement;
  private readonly shell: FormShell;

  constructor(private readonly onCreated: (deal: Deal) => void, private readonly onCancel: () => void) {
    this.account = accountSelect();
    this.title = h('input', { name: 'title', type: 'text', autocomplete: 'off', placeholder: t('deal.titlePlaceholder') });
    this.dealType = h('select', { name: 'deal_type' });
    this.amount = h('input', { name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: '1200.50' });
    this.priority = h('select', { name: 'priority', value: 'normal' }, ...PRIORITIES.map((p) => h('option', { value: p }, priorityLabel(p))));
    this.expectedClose = h('input', { name: 'expected_close', type: 'date' });
    this.shell = new FormShell(
      { id: 'deal-form', class: 'card record-form', submitLabel: t('deal.create') },
      { onSubmit: () => void this.save(), onCancel: () => { this.close(); this.onCancel(); } },
      h('div', { class: 'card-header' }, h('h2', {}, t('pipeline.new'))),
      h(
        'div',
        { class: 'form-grid form-grid-3' },
        formField(t('field.account'), this.account),
        formField(t('field.title'), this.title, { span: 2 }),
        formField(t('field.deal_type'), this.dealType),
        formField(t('field.amount'), this.amount, { hint: t('field.amountHint') }),
        formField(t('field.priority'), this.priority),
        formField(t('field.expected_close'), this.expectedClose),
      ),
    );
    this.el = this.shell.el;
  }

  open(accounts: Account[], dealType: DealType): void {
    setAccounts(this.account, accounts);
    // The company's deal types, as configured when the form opens.
    replaceChildren(this.dealType, ...salesSettings().deal_types.map((type) => h('option', { value: type.id }, dealTypeLabel(type.id))));
    this.dealType.value = dealType;
    this.el.hidden = false;
    this.account.focus();
  }

  close(): void {
    this.shell.close();
    this.priority.value = 'normal';
  }

  private async save(): Promise<void> {
    const fields: Fields = { deal_type: this.dealType.value, priority: this.priority.value };
    if (this.account.value) fields.account = this.account.value;
    if (this.title.value.trim()) fields.title = this.title.value.trim();
    if (this.amount.value.trim()) fields.amount = this.amount.value.trim();
    if (this.expectedClose.value) fields.expected_close = this.expectedClose.value;

    await this.shell.save(() => api.createDeal(fields), () => this.close(), (deal) => this.onCreated(deal));
  }
}
