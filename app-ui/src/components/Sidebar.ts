//! The sidebar: the module links (deals, contracts, catalogue, agenda, tasks, conflicts,
//! refused changes, my account), then the portfolio: instant search (Ctrl+K from
//! anywhere), the "Nouveau tiers" button, the criteria and saved filters, and either the
//! account list (empty search box) or the search results. The app may hide it (`SidebarToggle`); Ctrl+K shows it again.
//! Under the account list, « Exporter (Excel) » and « CSV » write the accounts it shows, as
//! filtered.

import { api, ApiError } from '../api';
import { h } from '../dom';
import { t, tCount } from '../i18n';
import { may } from '../session';
import { AccountList } from './AccountList';
import { ExportButtons } from './ExportButtons';
import { filterInput } from './FilterBox';
import { MainNav, type Section } from './MainNav';
import { PortfolioFilter } from './PortfolioFilter';
import { SearchResults } from './SearchResults';

const SEARCH_DEBOUNCE_MS = 100;

export interface SidebarActions {
  onOpenAccount: (id: string) => void;
  onNewAccount: () => void;
  /** Ctrl+K while the sidebar is hidden: show it, so the search box can take the focus. */
  onReveal?: () => void;
}

export class Sidebar {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly counter: HTMLElement;
  private readonly error: HTMLElement;
  private readonly accounts: AccountList;
  private readonly results: SearchResults;
  private readonly nav: MainNav;
  private readonly filter: PortfolioFilter;
  private readonly exportRow: HTMLElement;
  /** The accounts the list shows now, as filtered: what the export writes. */
  private shownAccounts: string[] = [];
  private debounce: number | undefined;
  /** Increases with every request, so a slow answer never replaces a newer one. */
  private generation = 0;

  constructor(actions: SidebarActions) {
    this.nav = new MainNav();
    this.accounts = new AccountList(actions.onOpenAccount);
    this.results = new SearchResults(actions.onOpenAccount);
    this.input = filterInput({
      id: 'search-input',
      placeholder: t('sidebar.search'),
      label: t('sidebar.searchLabel'),
      onInput: () => this.scheduleSearch(),
      onEscape: () => void this.refresh(),
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' && !this.accounts.el.hidden && this.accounts.focusFirst()) event.preventDefault();
    });
    this.counter = h('span', { class: 'list-count' });
    this.filter = new PortfolioFilter(() => void this.refresh());
    // Ctrl+K (⌘K on a Mac): the search box, from anywhere in the app.
    document.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        if (this.el.hidden) actions.onReveal?.();
        this.input.focus();
        this.input.select();
      }
    });
    this.error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    this.exportRow = h(
      'div',
      { class: 'sidebar-export' },
      new ExportButtons({ id: 'accounts-export', recordType: 'account', ids: () => this.shownAccounts }).el,
    );

    this.el = h(
      'aside',
      { id: 'sidebar', class: 'sidebar' },
      this.nav.el,
      h(
        'div',
        { class: 'sidebar-top' },
        h('div', { class: 'sidebar-title' }, h('h2', {}, t('sidebar.title')), this.counter, this.filter.toggle),
        h(
          'button',
          { id: 'new-account-button', type: 'button', class: 'button button-primary button-block', hidden: !may('create', 'account'), on: { click: () => actions.onNewAccount() } },
          '+ ',
          t('sidebar.newAccount'),
        ),
        h('div', { class: 'search-box' }, this.input),
        this.filter.el,
      ),
      this.error,
      h('nav', { class: 'sidebar-list' }, this.accounts.el, this.results.el),
      this.exportRow,
    );
  }

  /** Reloads what is shown: the account list, or the current search. */
  async refresh(): Promise<void> {
    void this.nav.refresh();
    const query = this.input.value.trim();
    const generation = ++this.generation;
    try {
      if (query === '') {
        const criteria = this.filter.criteria();
        const accounts = criteria ? await api.filterAccounts(criteria) : await api.listAccounts();
        if (generation !== this.generation) return;
        this.accounts.render(accounts);
        this.shownAccounts = accounts.map((account) => account.id);
        this.counter.textContent = tCount('sidebar.count', accounts.length);
        this.show('accounts');
      } else {
        const hits = await api.search(query);
        if (generation !== this.generation) return;
        this.results.render(query, hits);
        this.counter.textContent = tCount('sidebar.results', hits.length);
        this.show('results');
      }
      this.error.hidden = true;
    } catch (reason) {
      if (generation !== this.generation) return;
      this.error.textContent = reason instanceof ApiError ? reason.message : String(reason);
      this.error.hidden = false;
    }
  }

  /** The counts of the conflicts and refused changes links (see `MainNav`). */
  setReviewCounts(counts: { conflicts?: number; refused?: number }): void {
    this.nav.setReviewCounts(counts);
  }

  /** Highlights the open account in the portfolio and the open section in the links. */
  select(accountId: string | null, section: Section | null = null): void {
    this.accounts.select(accountId);
    this.nav.select(section);
  }

  private scheduleSearch(): void {
    window.clearTimeout(this.debounce);
    this.debounce = window.setTimeout(() => void this.refresh(), SEARCH_DEBOUNCE_MS);
  }

  private show(which: 'accounts' | 'results'): void {
    this.accounts.el.hidden = which !== 'accounts';
    this.results.el.hidden = which !== 'results';
    // Search results mix records of every type: the export is the account list's.
    this.exportRow.hidden = which !== 'accounts';
  }
}
