//! The page of one contract: its terms, billing, and the dates that matter for a tacitly
//! renewed contract (next renewal, last day to give notice), computed by the backend.

import { api, type Contract } from '../api';
import { h, replaceChildren } from '../dom';
import {
  billingUnitLabel,
  contractStatusLabel,
  contractTypeLabel,
  formatCalendarDate,
  formatCalendarDateLong,
  formatMoney,
} from '../format';
import { t, tCount } from '../i18n';
import { routeToHash } from '../router';
import { loadSalesSettings } from '../stages';
import { ConflictPanel } from './ConflictPanel';
import { noticeCell } from './ContractsPage';
import { ContractForm } from './ContractForm';
import { FormError, messageOf } from './FormField';

export class ContractPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly details: HTMLElement;
  private readonly renewal: HTMLElement;
  private readonly conflicts: ConflictPanel;
  private readonly form: ContractForm;
  private readonly editButton: HTMLButtonElement;
  private contract: Contract | null = null;
  private generation = 0;
  private shown = '';

  constructor(private readonly contractId: string, private readonly onChanged: () => void) {
    const changed = () => {
      void this.refresh();
      this.onChanged();
    };
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.details = h('dl', { id: 'contract-details', class: 'details' });
    this.renewal = h('div', { id: 'contract-renewal' });
    this.conflicts = new ConflictPanel(changed);
    this.editButton = h(
      'button',
      { id: 'edit-contract-button', type: 'button', class: 'button button-secondary', disabled: true, on: { click: () => this.openForm() } },
      t('account.edit'),
    );
    this.form = new ContractForm(
      () => {
        this.editButton.hidden = false;
        changed();
      },
      () => (this.editButton.hidden = false),
    );
    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      this.conflicts.el,
      this.form.el,
      h(
        'div',
        { class: 'columns' },
        h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', {}, t('account.details'))), this.details),
        h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', {}, t('contract.renewal'))), this.renewal),
      ),
    );
    this.el = h(
      'section',
      { id: 'contract-page', class: 'page', dataset: { id: contractId } },
      h('a', { class: 'back-link', href: routeToHash({ name: 'contracts' }) }, '← ', t('contracts.title')),
      h('div', { class: 'page-header' }, h('div', {}, this.title, this.subtitle), this.editButton),
      this.error.el,
      this.body,
    );
    void this.refresh();
  }

  /**
   * Reloads the data. Called after every sync: when nothing changed, the screen is left
   * alone (an open select or a drag in progress stays as it is) unless `force`.
   */
  async refresh(force = false): Promise<void> {
    const generation = ++this.generation;
    try {
      const [contract, settings] = await Promise.all([api.contractView(this.contractId), loadSalesSettings()]);
      const account = await api.accountView(contract.account).catch(() => null);
      if (generation !== this.generation) return;
      const shown = JSON.stringify([contract, account?.name, settings]);
      if (!force && shown === this.shown) return;
      this.shown = shown;
      this.contract = contract;
      this.error.clear();
      this.render(contract, account?.name ?? '');
    } catch (reason) {
      if (generation !== this.generation) return;
      this.error.show(t('contract.notFound', { message: messageOf(reason) }));
    }
  }

  private openForm(): void {
    if (!this.contract) return;
    this.editButton.hidden = true;
    this.form.open(this.contract);
  }

  private render(contract: Contract, accountName: string): void {
    this.title.textContent = contract.contract_type ? contractTypeLabel(contract.contract_type) : t('contract.title');
    replaceChildren(
      this.subtitle,
      h('a', { href: routeToHash({ name: 'account', id: contract.account }) }, accountName || t('pipeline.unknownAccount')),
      h('span', { class: `status-tag contract-${contract.status}` }, contractStatusLabel(contract.status)),
      contract.deal ? h('a', { href: routeToHash({ name: 'deal', id: contract.deal }) }, t('contract.openDeal')) : null,
    );
    this.editButton.disabled = false;

    const months = (value: string | null | undefined) => (value ? tCount('common.months', Number(value)) : null);
    const billing = contract.billing_amount
      ? `${formatMoney(contract.billing_amount)}${contract.billing_period ? ` / ${billingUnitLabel(contract.billing_period)}` : ''}`
      : null;
    const rows: Array<[string, string | null, string]> = [
      [t('field.contract_type'), contract.contract_type ? contractTypeLabel(contract.contract_type) : null, 'contract_type'],
      [t('field.status'), contractStatusLabel(contract.status), 'status'],
      [t('field.start'), contract.start ? formatCalendarDate(contract.start) : null, 'start'],
      [t('field.end'), contract.end ? formatCalendarDate(contract.end) : null, 'end'],
      [t('field.tacit_renewal'), contract.tacit_renewal === 'yes' ? t('common.yes') : t('common.no'), 'tacit_renewal'],
      [t('field.term_months'), months(contract.term_months), 'term_months'],
      [t('field.notice_months'), months(contract.notice_months), 'notice_months'],
      [t('field.billing'), billing, 'billing'],
    ];
    replaceChildren(
      this.details,
      ...rows.flatMap(([label, value, field]) => [
        h('dt', {}, label),
        h('dd', { class: value ? '' : 'muted', dataset: { field } }, value ?? t('account.empty')),
      ]),
    );

    if (contract.next_renewal) {
      replaceChildren(
        this.renewal,
        h(
          'dl',
          { class: 'details' },
          h('dt', {}, t('field.next_renewal')),
          h('dd', { dataset: { field: 'next_renewal' } }, formatCalendarDate(contract.next_renewal)),
          h('dt', {}, t('field.notice_deadline')),
          h('dd', { dataset: { field: 'notice_deadline' } }, noticeCell(contract)),
        ),
        contract.notice_deadline
          ? h(
              'p',
              { class: 'callout' },
              t('contract.noticeHelp', {
                deadline: formatCalendarDateLong(contract.notice_deadline),
                renewal: formatCalendarDateLong(contract.next_renewal),
              }),
            )
          : null,
      );
    } else {
      replaceChildren(
        this.renewal,
        h('p', { class: 'muted' }, contract.tacit_renewal === 'yes' ? t('contract.noRenewalDate') : t('contract.noTacitRenewal')),
      );
    }
    this.conflicts.update(contract.id, contract.conflicts);
    this.body.hidden = false;
  }
}
