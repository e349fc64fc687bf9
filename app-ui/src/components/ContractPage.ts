//! The page of one contract: its terms, billing, and the dates that matter for a tacitly
//! renewed contract (next renewal, last day to give notice), computed by the backend, and
//! the history of its changes.

import { api, type ContractView } from '../api';
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
import { may } from '../session';
import { loadSalesSettings } from '../stages';
import { ConflictPanel } from './ConflictPanel';
import { noticeCell } from './ContractsPage';
import { ContractForm } from './ContractForm';
import { definitionRows, type DefinitionRow } from './DefinitionList';
import { FormError } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { RecordLoader, recordPage, titledCard } from './RecordPage';

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
  private readonly changes: HistoryPanel;
  private contract: ContractView | null = null;
  private readonly loader: RecordLoader;

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
    this.changes = new HistoryPanel(contractId, 'contract');
    this.loader = new RecordLoader(this.error, 'contract.notFound', this.changes);
    this.editButton = h(
      'button',
      { id: 'edit-contract-button', type: 'button', class: 'button button-secondary', disabled: true, hidden: !may('edit', 'contract'), on: { click: () => this.openForm() } },
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
        titledCard({ title: t('account.details') }, this.details),
        titledCard({ title: t('contract.renewal') }, this.renewal),
      ),
      this.changes.el,
    );
    this.el = recordPage({
      id: 'contract-page',
      recordId: contractId,
      back: { name: 'contracts' },
      backLabel: t('contracts.title'),
      header: [this.title, this.subtitle, this.editButton],
      error: this.error.el,
      body: this.body,
    });
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    const load = async () => {
      const [contract, settings] = await Promise.all([api.contractView(this.contractId), loadSalesSettings()]);
      const account = await api.accountView(contract.account).catch(() => null);
      return [contract, account?.name, settings] as const;
    };
    await this.loader.reload(force, load, ([contract, accountName]) => {
      this.contract = contract;
      this.render(contract, accountName ?? '');
    });
  }

  private openForm(): void {
    if (!this.contract) return;
    this.editButton.hidden = true;
    this.form.open(this.contract);
  }

  private render(contract: ContractView, accountName: string): void {
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
    const rows: DefinitionRow[] = [
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
      ...definitionRows(rows),
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
    this.conflicts.update(contract.id, contract.conflicts, contract.type);
    this.body.hidden = false;
  }
}
