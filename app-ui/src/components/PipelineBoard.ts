//! The pipeline ("Affaires"): one column per stage of the chosen deal type, the deals as
//! cards. A card moves by dragging it to another column (pointer events, see drag.ts) or
//! with its stage <select>; either way the backend records the move (`edit_deal`), then
//! the board reloads. Won and lost are asked first, as on the deal page (StageMoveConfirm:
//! winning creates the contract, losing asks why); until confirmed the card stays where it
//! was, and cancelling leaves it there. The cards are narrowed by the filter box (title or account, as you
//! type), a range of expected close dates, and, for those who see other people's deals (a
//! sales manager, an administrator), the rep; their cards then say whose each deal is.
//! The criteria are kept for the session (filters.ts). Column totals and counts follow
//! them; they are display only: exact sums of the backend's decimal strings. The deals
//! the board shows (the type chosen, as filtered) are exported to Excel or CSV.

import { api, type Account, type Deal, type DealType, type Person } from '../api';
import { h, replaceChildren } from '../dom';
import { WON_STAGE } from '../generated/vocabulary';
import { enablePointerDrag } from '../drag';
import { dealMatches, dealOwners, isFiltering, loadDealFilter, NO_DEAL_FILTER, saveDealFilter, type DealFilter } from '../filters';
import { dealTypeLabel, formatMoney, stageLabel, sumAmounts } from '../format';
import { t, tCount } from '../i18n';
import { PeopleNames } from '../people';
import { Reloader } from '../reload';
import { may, seesOthers, signedInUser } from '../session';
import { dealTypeOf, isFinalStage, loadSalesSettings, salesSettings, stagesOf } from '../stages';
import { accountNames } from './AccountSelect';
import { DealCard } from './DealCard';
import { DealForm } from './DealForm';
import { ExportButtons } from './ExportButtons';
import { filterBox, filterInput } from './FilterBox';
import { FormError, messageOf } from './FormField';
import { StageMoveConfirm } from './StageMoveConfirm';

export interface PipelineActions {
  onOpenDeal: (id: string) => void;
  onOpenContract: (id: string) => void;
  /** A deal was created or moved: reminders may have changed. */
  onChanged: () => void;
}

/** The deal type shown, kept while the app runs (coming back from a deal keeps it). */
let shownType: DealType = '';

export class PipelineBoard {
  readonly el: HTMLElement;
  private readonly board: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly ownerSelect: HTMLSelectElement;
  private readonly closeFrom: HTMLInputElement;
  private readonly closeTo: HTMLInputElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly toggle: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly error = new FormError();
  private readonly confirm = new StageMoveConfirm('pipeline');
  private readonly form: DealForm;
  private readonly newButton: HTMLButtonElement;
  private deals: Deal[] = [];
  private accounts = new Map<string, string>();
  private accountList: Account[] = [];
  /** Whether the user sees other people's deals: cards name their rep, and the rep filter shows. */
  private readonly showOwners = seesOthers('deal');
  private readonly userId = signedInUser()?.id ?? null;
  private names = new PeopleNames([], this.userId);
  private criteria: DealFilter;
  private noticeTimer: number | undefined;
  private loaded = false;
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));
  /** The data last rendered, to skip re-rendering when a sync brought nothing new. */

  constructor(private readonly actions: PipelineActions) {
    this.criteria = loadDealFilter(this.userId);
    if (!this.showOwners) this.criteria.owner = '';
    const changed = () => this.readCriteria();
    this.filter = filterInput({
      id: 'pipeline-filter',
      placeholder: t('pipeline.filter'),
      label: t('pipeline.filterLabel'),
      onInput: changed,
      onEscape: changed,
    });
    this.filter.value = this.criteria.text;
    this.ownerSelect = h('select', { id: 'pipeline-owner-filter', class: 'compact-select', on: { change: changed } });
    this.closeFrom = h('input', { id: 'pipeline-close-from', type: 'date', class: 'compact-date', value: this.criteria.closeFrom, on: { input: changed, change: changed } });
    this.closeTo = h('input', { id: 'pipeline-close-to', type: 'date', class: 'compact-date', value: this.criteria.closeTo, on: { input: changed, change: changed } });
    this.clearButton = h(
      'button',
      { id: 'pipeline-filter-clear', type: 'button', class: 'button button-ghost button-small', hidden: true, on: { click: () => this.clearCriteria() } },
      t('pipeline.clearFilters'),
    );
    this.toggle = h('div', { class: 'segmented', role: 'group', 'aria-label': t('field.deal_type') });
    this.summary = h('div', { class: 'pipeline-summary' });
    // A toast, so that it never moves the board under the pointer.
    this.notice = h('p', { id: 'pipeline-notice', class: 'toast', role: 'status', hidden: true });
    this.board = h('div', { id: 'pipeline-columns', class: 'pipeline-board' });
    this.newButton = h(
      'button',
      { id: 'new-deal-button', type: 'button', class: 'button button-primary', hidden: !may('create', 'deal'), on: { click: () => this.openForm() } },
      '+ ',
      t('pipeline.new'),
    );
    this.form = new DealForm(
      (deal) => {
        this.newButton.hidden = false;
        shownType = dealTypeOf(deal);
        this.showNotice(t('pipeline.created', { title: deal.title }));
        this.actions.onChanged();
        void this.refresh();
      },
      () => (this.newButton.hidden = false),
    );

    enablePointerDrag(this.board, {
      item: '.deal-card',
      zone: '.pipeline-column',
      ignore: 'a, button, input, select, textarea, label',
      scroller: this.board,
      onDrop: (card, column) => {
        const deal = this.deals.find((d) => d.id === card.dataset.id);
        const stage = column.dataset.stage;
        if (deal && stage) void this.move(deal, stage, card, column);
      },
    });

    this.el = h(
      'section',
      { id: 'pipeline-board', class: 'page page-wide' },
      h(
        'div',
        { class: 'page-header' },
        h('div', {}, h('h1', { class: 'page-title' }, t('pipeline.title')), this.summary),
        h(
          'div',
          { class: 'button-row' },
          // The deals the board shows: the type chosen, as filtered.
          new ExportButtons({ id: 'deals-export', recordType: 'deal', ids: () => this.visibleDeals().map((deal) => deal.id) }).el,
          this.newButton,
        ),
      ),
      this.form.el,
      h(
        'div',
        { class: 'toolbar' },
        this.toggle,
        h(
          'div',
          { class: 'pipeline-filters' },
          // Only for those who see other people's deals: a rep's board holds only theirs.
          this.showOwners ? h('label', { class: 'inline-label' }, t('pipeline.owner'), ' ', this.ownerSelect) : null,
          h(
            'div',
            { class: 'inline-label', role: 'group', 'aria-label': t('pipeline.closeRange') },
            h('label', { class: 'inline-label' }, t('pipeline.closeFrom'), ' ', this.closeFrom),
            h('label', { class: 'inline-label' }, t('pipeline.closeTo'), ' ', this.closeTo),
          ),
          this.clearButton,
        ),
        filterBox(this.filter),
      ),
      this.error.el,
      this.confirm.el,
      this.notice,
      this.board,
    );
    this.renderToggle();
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const [deals, accounts, settings, people] = await Promise.all([
        api.listDeals(),
        api.listAccounts(),
        loadSalesSettings(),
        // Names only: without the directory the cards say « Utilisateur inconnu ».
        this.showOwners ? api.people().catch((): Person[] => []) : Promise.resolve([]),
      ]);
      return {
        shown: [deals, accounts, settings, people],
        show: () => {
          this.deals = deals;
          this.accountList = accounts;
          this.accounts = accountNames(accounts);
          this.names = new PeopleNames(people, this.userId);
          this.loaded = true;
          this.render();
        },
      };
    });
  }

  private openForm(): void {
    this.newButton.hidden = true;
    this.form.open(this.accountList, shownType);
  }

  /** The criteria as the fields now say, kept for the session; the board follows them. */
  private readCriteria(): void {
    this.criteria = {
      text: this.filter.value,
      owner: this.showOwners ? this.ownerSelect.value : '',
      closeFrom: this.closeFrom.value,
      closeTo: this.closeTo.value,
    };
    saveDealFilter(this.userId, this.criteria);
    this.render();
  }

  private clearCriteria(): void {
    this.filter.value = '';
    this.ownerSelect.value = '';
    this.closeFrom.value = '';
    this.closeTo.value = '';
    this.criteria = { ...NO_DEAL_FILTER };
    saveDealFilter(this.userId, this.criteria);
    this.render();
    this.filter.focus();
  }

  /** "Tous", then each rep who owns a deal on the board (the user first), by name. */
  private renderOwnerOptions(): void {
    if (!this.showOwners) return;
    const owners = dealOwners(this.deals, (id) => this.names.of(id) ?? '', this.userId);
    // A rep kept from earlier who owns no deal any more: the board shows everyone again.
    if (this.loaded && this.criteria.owner && !owners.some((owner) => owner.id === this.criteria.owner)) {
      this.criteria = { ...this.criteria, owner: '' };
      saveDealFilter(this.userId, this.criteria);
    }
    replaceChildren(
      this.ownerSelect,
      h('option', { value: '' }, t('pipeline.allOwners')),
      ...owners.map((owner) => h('option', { value: owner.id }, owner.name)),
      // Until the deals are loaded, the kept choice stays selectable.
      !this.loaded && this.criteria.owner ? h('option', { value: this.criteria.owner }, '…') : null,
    );
    this.ownerSelect.value = this.criteria.owner;
  }

  /** The date fields cannot cross: "au" starts at "du" and the other way round. */
  private renderDateBounds(): void {
    this.closeTo.min = this.criteria.closeFrom;
    this.closeFrom.max = this.criteria.closeTo;
  }

  private renderToggle(): void {
    replaceChildren(
      this.toggle,
      ...salesSettings().deal_types.map(({ id: type }) => {
        const count = this.deals.filter((deal) => dealTypeOf(deal) === type && this.matches(deal)).length;
        return h(
          'button',
          {
            type: 'button',
            class: type === shownType ? 'segment active' : 'segment',
            dataset: { dealType: type },
            'aria-pressed': String(type === shownType),
            on: {
              click: () => {
                shownType = type;
                this.render();
              },
            },
          },
          dealTypeLabel(type),
          this.loaded ? h('span', { class: 'segment-count' }, String(count)) : null,
        );
      }),
    );
  }

  private matches(deal: Deal): boolean {
    return dealMatches(deal, this.accounts.get(deal.account) ?? '', this.criteria);
  }

  /** The deals of the shown type that match the criteria. */
  private visibleDeals(): Deal[] {
    return this.deals.filter((deal) => dealTypeOf(deal) === shownType && this.matches(deal));
  }

  private render(): void {
    // The shown type may have been removed from the settings: fall back to the first one.
    shownType = dealTypeOf({ deal_type: shownType });
    this.renderOwnerOptions();
    this.renderDateBounds();
    this.clearButton.hidden = !isFiltering(this.criteria);
    this.renderToggle();
    if (!this.loaded) {
      replaceChildren(this.board, h('p', { class: 'list-empty' }, t('account.loading')));
      return;
    }
    const deals = this.visibleDeals();
    const open = deals.filter((deal) => !isFinalStage(deal.stage));
    replaceChildren(
      this.summary,
      h('span', {}, tCount('pipeline.openDeals', open.length)),
      h('span', { class: 'summary-amount' }, formatMoney(sumAmounts(open.map((deal) => deal.amount)))),
    );
    const scroll = this.board.scrollLeft;
    replaceChildren(
      this.board,
      ...stagesOf(shownType).map((stage) => this.column(stage.id, stage.label, deals.filter((deal) => deal.stage === stage.id))),
    );
    this.board.scrollLeft = scroll;
  }

  private column(stage: string, label: string, deals: Deal[]): HTMLElement {
    const cards = deals.map(
      (deal) =>
        new DealCard(deal, { account: this.accounts.get(deal.account) ?? '', owner: this.showOwners ? this.names.of(deal.owner) : null }, {
          onOpen: (id) => this.actions.onOpenDeal(id),
          onMove: (moved, to) => void this.move(moved, to),
        }).el,
    );
    return h(
      'div',
      { class: `pipeline-column stage-${stage}`, dataset: { stage }, role: 'region', 'aria-label': stageLabel(stage, label) },
      h(
        'div',
        { class: 'column-header' },
        h('div', { class: 'column-title' }, h('span', {}, stageLabel(stage, label)), h('span', { class: 'column-count' }, String(deals.length))),
        h('div', { class: 'column-total' }, formatMoney(sumAmounts(deals.map((deal) => deal.amount)))),
      ),
      h(
        'div',
        { class: 'column-body', role: 'list' },
        ...cards,
        cards.length === 0 ? h('div', { class: 'column-empty' }, t('pipeline.emptyColumn')) : null,
      ),
    );
  }

  /** Moves a deal, once confirmed when it is won or lost; the card goes to its new column
   *  at once, then the board reloads. */
  private async move(deal: Deal, stage: string, card?: HTMLElement, column?: HTMLElement): Promise<void> {
    if (deal.stage === stage) return;
    this.error.clear();
    // A new move answers "Annuler" to a question still open about another one.
    this.confirm.cancel();
    const fields = await this.confirm.fieldsFor(stage, { title: deal.title, reason: deal.lost_reason });
    if (!fields) {
      // Cancelled: the card never left its column; its stage select says so again. (A
      // question about another card may have replaced this one: it keeps the focus.)
      this.render();
      if (!this.confirm.asking) this.focusCard(deal.id);
      return;
    }
    if (card && column && card.isConnected) {
      column.querySelector('.column-empty')?.remove();
      column.querySelector('.column-body')?.appendChild(card);
      card.dataset.stage = stage;
    }
    try {
      const moved = await api.editDeal(deal.id, fields);
      if (stage === WON_STAGE) {
        this.showNotice(t('pipeline.won', { title: deal.title }), moved.contract ?? null);
      } else {
        this.showNotice(t('pipeline.moved', { title: deal.title, stage: stageLabel(stage) }));
      }
      this.actions.onChanged();
    } catch (reason) {
      this.error.show(messageOf(reason));
    }
    // Forced: after a refused move the card must go back where it was.
    await this.refresh(true);
  }

  /** Gives the focus back to a deal's card after a question about it (keyboard users). */
  private focusCard(id: string): void {
    this.board.querySelector<HTMLElement>(`.deal-card[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  private showNotice(text: string, contractId: string | null = null): void {
    replaceChildren(
      this.notice,
      text,
      contractId
        ? h(
            'button',
            { type: 'button', class: 'link-button', on: { click: () => this.actions.onOpenContract(contractId) } },
            t('pipeline.openContract'),
          )
        : null,
    );
    this.notice.hidden = false;
    window.clearTimeout(this.noticeTimer);
    this.noticeTimer = window.setTimeout(() => (this.notice.hidden = true), 10000);
  }
}
