//! The "Contrats" list: every contract with its account, type, status, billing, and the
//! renewal dates the backend computes (next tacit renewal, last day to give notice).
//! A notice deadline within 60 days is highlighted, a passed one in red. The rows shown,
//! as filtered and sorted, are exported to Excel or CSV.

import { api, type ContractView } from '../api';
import { CONTRACT_NOTICE_SETTLED } from '../generated/vocabulary';
import { h, replaceChildren } from '../dom';
import {
  billingUnitLabel,
  choiceLabel,
  choicesOf,
  contractStatusLabel,
  contractTypeLabel,
  formatCalendarDate,
  formatMoney,
  parseYmd,
  todayYmd,
  addDays,
  toYmd,
} from '../format';
import { t, tCount } from '../i18n';
import { Reloader } from '../reload';
import { loadSalesSettings } from '../stages';
import { accountNames } from './AccountSelect';
import { ExportButtons } from './ExportButtons';
import { filterBox, filterInput } from './FilterBox';
import { FormError, messageOf } from './FormField';
import { clickableRow, pageHeader, showEmptyRow, tableCard } from './ListPage';

/** How far ahead a notice deadline is highlighted, as in the reminders. */
const NOTICE_SOON_DAYS = 60;

type SortKey = 'account' | 'status' | 'start' | 'renewal' | 'notice' | 'billing';

export class ContractsPage {
  readonly el: HTMLElement;
  private readonly table: HTMLTableSectionElement;
  private readonly count: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly status: HTMLSelectElement;
  private readonly noticeBefore: HTMLInputElement;
  /** The column the table is sorted by, and the direction. */
  private sort: { key: SortKey; ascending: boolean } = { key: 'notice', ascending: true };
  private readonly headers = new Map<SortKey, HTMLElement>();
  private readonly error = new FormError();
  private contracts: ContractView[] = [];
  /** The rows the table shows now, as filtered and sorted: what the export writes. */
  private shownIds: string[] = [];
  private accounts = new Map<string, string>();
  private loaded = false;
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor(private readonly onOpen: (id: string) => void) {
    this.table = h('tbody', {});
    this.count = h('div', { class: 'page-subtitle' });
    this.filter = filterInput({ id: 'contracts-filter', placeholder: t('contracts.filter'), onInput: () => this.render() });
    this.status = h(
      'select',
      { id: 'contracts-status', 'aria-label': t('field.status'), on: { change: () => this.render() } },
      h('option', { value: '' }, t('contracts.anyStatus')),
      ...choicesOf('contract.status').map((c) => h('option', { value: c.id }, choiceLabel([c], c.id))),
    );
    this.noticeBefore = h('input', { id: 'contracts-notice-before', type: 'date', 'aria-label': t('contracts.noticeBefore'), title: t('contracts.noticeBefore'), on: { change: () => this.render() } });
    // Each column header sorts by its column; a second click reverses.
    const header = (key: SortKey, label: string, numeric = false) => {
      const th = h(
        'th',
        { class: numeric ? 'numeric sortable' : 'sortable', 'aria-sort': 'none' },
        h('button', { type: 'button', class: 'sort-button', dataset: { sort: key }, on: { click: () => this.sortBy(key) } }, label),
      );
      this.headers.set(key, th);
      return th;
    };
    this.el = h(
      'section',
      { id: 'contracts-page', class: 'page' },
      pageHeader(t('contracts.title'), this.count, filterBox(this.filter)),
      h(
        'div',
        { class: 'toolbar inline-row' },
        h('div', { class: 'button-row' }, this.status, h('label', { class: 'inline-label' }, t('contracts.noticeBefore'), ' ', this.noticeBefore)),
        new ExportButtons({ id: 'contracts-export', recordType: 'contract', ids: () => this.shownIds }).el,
      ),
      this.error.el,
      tableCard(
        'contracts-table',
        [
          header('account', t('contracts.contract')),
          header('status', t('field.status')),
          header('start', t('field.start')),
          header('renewal', t('contracts.renewal')),
          header('notice', t('contracts.noticeBy')),
          header('billing', t('field.billing'), true),
        ],
        this.table,
      ),
    );
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const [contracts, accounts, settings] = await Promise.all([api.listContracts(), api.listAccounts(), loadSalesSettings()]);
      return {
        shown: [contracts, accounts, settings],
        show: () => {
          this.contracts = contracts;
          this.accounts = accountNames(accounts);
          this.loaded = true;
          this.error.clear();
          this.render();
        },
      };
    });
  }

  private sortBy(key: SortKey): void {
    this.sort = { key, ascending: this.sort.key === key ? !this.sort.ascending : true };
    this.render();
  }

  /** The value a column sorts by: names by the alphabet, dates as written, amounts as numbers. */
  private sortValue(contract: ContractView, key: SortKey): string | number {
    switch (key) {
      case 'account':
        return (this.accounts.get(contract.account) ?? '').toLocaleLowerCase('fr');
      case 'status':
        return contractStatusLabel(contract.status);
      case 'start':
        return contract.start;
      case 'renewal':
        return contract.next_renewal ?? '9999';
      case 'notice':
        return contract.notice_deadline ?? '9999';
      case 'billing':
        return Number(contract.billing_amount ?? 0);
    }
  }

  private render(): void {
    const query = this.filter.value.trim().toLowerCase();
    const status = this.status.value;
    const before = this.noticeBefore.value;
    const { key, ascending } = this.sort;
    const rows = this.contracts
      .filter((contract) => {
        if (status && contract.status !== status) return false;
        if (before && !(contract.notice_deadline && contract.notice_deadline <= before)) return false;
        if (!query) return true;
        const text = `${this.accounts.get(contract.account) ?? ''} ${contractTypeLabel(contract.contract_type)} ${contractStatusLabel(contract.status)}`;
        return text.toLowerCase().includes(query);
      })
      .sort((a, b) => {
        const [x, y] = [this.sortValue(a, key), this.sortValue(b, key)];
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'fr');
        return (ascending ? order : -order) || a.start.localeCompare(b.start);
      });
    for (const [column, th] of this.headers) th.setAttribute('aria-sort', column === key ? (ascending ? 'ascending' : 'descending') : 'none');
    this.count.textContent = this.loaded ? tCount('contracts.count', this.contracts.length) : '';
    this.shownIds = rows.map((contract) => contract.id);
    if (rows.length === 0) {
      showEmptyRow(this.table, 6, this.loaded ? t('contracts.empty') : t('account.loading'));
      return;
    }
    replaceChildren(this.table, ...rows.map((contract) => this.row(contract)));
  }

  private row(contract: ContractView): HTMLElement {
    const open = () => this.onOpen(contract.id);
    return clickableRow(
      { class: 'clickable', dataset: { id: contract.id } },
      open,
      h(
        'td',
        { class: 'cell-stack' },
        h('span', { class: 'strong' }, this.accounts.get(contract.account) ?? t('pipeline.unknownAccount')),
        h('span', { class: 'muted' }, contract.contract_type ? contractTypeLabel(contract.contract_type) : t('contract.noType')),
      ),
      h('td', {}, h('span', { class: `status-tag contract-${contract.status}` }, contractStatusLabel(contract.status))),
      h('td', {}, formatCalendarDate(contract.start)),
      h('td', {}, contract.next_renewal ? formatCalendarDate(contract.next_renewal) : h('span', { class: 'muted' }, '—')),
      h('td', {}, noticeCell(contract)),
      h(
        'td',
        { class: 'numeric' },
        contract.billing_amount ? formatMoney(contract.billing_amount) : '—',
        contract.billing_period ? h('span', { class: 'muted' }, ` / ${billingUnitLabel(contract.billing_period)}`) : null,
      ),
    );
  }
}

/** The notice deadline, amber when it is near, red when it has passed. */
export function noticeCell(contract: ContractView): HTMLElement {
  if (!contract.notice_deadline) return h('span', { class: 'muted' }, '—');
  const active = !CONTRACT_NOTICE_SETTLED.includes(contract.status);
  const today = todayYmd();
  const soonLimit = toYmd(addDays(parseYmd(today) ?? new Date(), NOTICE_SOON_DAYS));
  let state = '';
  if (active && contract.notice_deadline < today) state = 'deadline-passed';
  else if (active && contract.notice_deadline <= soonLimit) state = 'deadline-soon';
  return h('span', { class: `deadline ${state}` }, formatCalendarDate(contract.notice_deadline));
}
