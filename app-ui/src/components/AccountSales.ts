//! The sales side of an account page: its deals (stage and amount), its quotes (with
//! "Nouveau devis") and its contracts (status and notice deadline, with "Nouveau
//! contrat" for the running contracts of an existing customer).

import { api, type ContractView, type Deal } from '../api';
import { h, replaceChildren } from '../dom';
import { contractStatusLabel, contractTypeLabel, formatCalendarDate, formatMoney, stageLabel } from '../format';
import { t } from '../i18n';
import { navigate, routeToHash } from '../router';
import { may } from '../session';
import { loadSalesSettings } from '../stages';
import { ContractForm } from './ContractForm';
import { noticeCell } from './ContractsPage';
import { QuoteList } from './QuoteList';

export class AccountSales {
  readonly el: HTMLElement;
  private readonly deals: HTMLUListElement;
  private readonly contracts: HTMLUListElement;
  private readonly quotes: QuoteList;
  private readonly contractForm: ContractForm;
  private readonly newContractButton: HTMLButtonElement;
  private generation = 0;
  private shown = '';

  constructor(private readonly accountId: string) {
    this.deals = h('ul', { id: 'account-deals', class: 'item-list' });
    this.contracts = h('ul', { id: 'account-contracts', class: 'item-list' });
    this.quotes = new QuoteList(t('quotes.empty'));
    this.quotes.el.id = 'account-quotes';
    this.contractForm = new ContractForm(
      (contract) => {
        this.newContractButton.hidden = false;
        navigate({ name: 'contract', id: contract.id });
      },
      () => (this.newContractButton.hidden = false),
    );
    this.newContractButton = h(
      'button',
      {
        id: 'new-contract-button',
        type: 'button',
        class: 'button button-secondary button-small',
        hidden: !may('create', 'contract'),
        on: { click: () => void this.openContractForm() },
      },
      '+ ',
      t('contract.new'),
    );
    const columns = h(
      'div',
      { class: 'columns columns-3' },
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'deals-title' },
        h(
          'div',
          { class: 'card-header' },
          h('h2', { id: 'deals-title' }, t('deals.title')),
          h('a', { class: 'card-link', href: routeToHash({ name: 'pipeline' }) }, t('deals.pipeline')),
        ),
        this.deals,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'quotes-title' },
        h(
          'div',
          { class: 'card-header' },
          h('h2', { id: 'quotes-title' }, t('quotes.title')),
          h(
            'button',
            {
              id: 'new-quote-button',
              type: 'button',
              class: 'button button-secondary button-small',
              hidden: !may('create', 'quote'),
              on: { click: () => navigate({ name: 'new-quote', account: accountId, deal: null }) },
            },
            '+ ',
            t('quotes.new'),
          ),
        ),
        this.quotes.el,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'contracts-title' },
        h('div', { class: 'card-header' }, h('h2', { id: 'contracts-title' }, t('contracts.title')), this.newContractButton),
        this.contracts,
      ),
    );
    this.el = h('div', { class: 'account-sales' }, this.contractForm.el, columns);
  }

  private async openContractForm(): Promise<void> {
    await loadSalesSettings();
    this.newContractButton.hidden = true;
    this.contractForm.openNew(this.accountId);
    this.contractForm.el.scrollIntoView({ block: 'nearest' });
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const [deals, quotes, contracts, settings] = await Promise.all([
      api.listDeals(this.accountId).catch((): Deal[] => []),
      api.listQuotes(this.accountId).catch(() => []),
      api.listContracts(this.accountId).catch((): ContractView[] => []),
      loadSalesSettings(),
    ]);
    if (generation !== this.generation) return;
    // Called after every sync: leave the lists alone when nothing changed.
    const shown = JSON.stringify([deals, quotes, contracts, settings]);
    if (shown === this.shown) return;
    this.shown = shown;
    this.renderDeals(deals);
    this.quotes.update(quotes);
    this.renderContracts(contracts);
  }

  private renderDeals(deals: Deal[]): void {
    if (deals.length === 0) {
      replaceChildren(this.deals, h('li', { class: 'list-empty' }, t('deals.empty')));
      return;
    }
    replaceChildren(
      this.deals,
      ...deals.map((deal) =>
        h(
          'li',
          { class: 'item-row', dataset: { id: deal.id } },
          h(
            'a',
            { class: 'item-main', href: routeToHash({ name: 'deal', id: deal.id }) },
            h('span', { class: 'item-title' }, deal.title),
            h(
              'span',
              { class: 'item-meta' },
              h('span', { class: `status-tag stage-tag stage-${deal.stage}` }, stageLabel(deal.stage)),
              deal.expected_close ? h('span', {}, t('deals.closing', { date: formatCalendarDate(deal.expected_close) })) : null,
            ),
          ),
          h('span', { class: 'item-amount' }, deal.amount ? formatMoney(deal.amount) : ''),
        ),
      ),
    );
  }

  private renderContracts(contracts: ContractView[]): void {
    if (contracts.length === 0) {
      replaceChildren(this.contracts, h('li', { class: 'list-empty' }, t('contracts.emptyAccount')));
      return;
    }
    replaceChildren(
      this.contracts,
      ...contracts.map((contract) =>
        h(
          'li',
          { class: 'item-row', dataset: { id: contract.id } },
          h(
            'a',
            { class: 'item-main', href: routeToHash({ name: 'contract', id: contract.id }) },
            h('span', { class: 'item-title' }, contract.contract_type ? contractTypeLabel(contract.contract_type) : t('contract.title')),
            h(
              'span',
              { class: 'item-meta' },
              h('span', { class: `status-tag contract-${contract.status}` }, contractStatusLabel(contract.status)),
              contract.notice_deadline
                ? h('span', {}, t('contract.noticeBy'), ' ', noticeCell(contract))
                : h('span', {}, t('contract.startsOn', { date: formatCalendarDate(contract.start) })),
            ),
          ),
          h('span', { class: 'item-amount' }, contract.billing_amount ? formatMoney(contract.billing_amount) : ''),
        ),
      ),
    );
  }
}
