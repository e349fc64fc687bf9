//! The pipeline ("Affaires"): one column per stage of the chosen deal type, the deals as
//! cards. A card moves by dragging it to another column (pointer events, see drag.ts) or
//! with its stage <select>; either way the backend records the move (`edit_deal`), then
//! the board reloads. The filter box narrows the cards by title or account as you type.
//! Column totals are display only: exact sums of the backend's decimal strings.

import { api, type Account, type Deal, type DealType } from '../api';
import { h, replaceChildren } from '../dom';
import { WON_STAGE } from '../generated/vocabulary';
import { enablePointerDrag } from '../drag';
import { dealTypeLabel, formatMoney, stageLabel, sumAmounts } from '../format';
import { t, tCount } from '../i18n';
import { Reloader } from '../reload';
import { dealTypeOf, isFinalStage, loadSalesSettings, salesSettings, stagesOf } from '../stages';
import { accountNames } from './AccountSelect';
import { DealCard } from './DealCard';
import { DealForm } from './DealForm';
import { filterBox, filterInput } from './FilterBox';
import { FormError, messageOf } from './FormField';

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
  private readonly toggle: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly error = new FormError();
  private readonly form: DealForm;
  private readonly newButton: HTMLButtonElement;
  private deals: Deal[] = [];
  private accounts = new Map<string, string>();
  private accountList: Account[] = [];
  private noticeTimer: number | undefined;
  private loaded = false;
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));
  /** The data last rendered, to skip re-rendering when a sync brought nothing new. */

  constructor(private readonly actions: PipelineActions) {
    this.filter = filterInput({
      id: 'pipeline-filter',
      placeholder: t('pipeline.filter'),
      label: t('pipeline.filterLabel'),
      onInput: () => this.render(),
      onEscape: () => this.render(),
    });
    this.toggle = h('div', { class: 'segmented', role: 'group', 'aria-label': t('field.deal_type') });
    this.summary = h('div', { class: 'pipeline-summary' });
    // A toast, so that it never moves the board under the pointer.
    this.notice = h('p', { id: 'pipeline-notice', class: 'toast', role: 'status', hidden: true });
    this.board = h('div', { id: 'pipeline-columns', class: 'pipeline-board' });
    this.newButton = h(
      'button',
      { id: 'new-deal-button', type: 'button', class: 'button button-primary', on: { click: () => this.openForm() } },
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
        this.newButton,
      ),
      this.form.el,
      h(
        'div',
        { class: 'toolbar' },
        this.toggle,
        filterBox(this.filter),
      ),
      this.error.el,
      this.notice,
      this.board,
    );
    this.renderToggle();
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const [deals, accounts, settings] = await Promise.all([api.listDeals(), api.listAccounts(), loadSalesSettings()]);
      return {
        shown: [deals, accounts, settings],
        show: () => {
          this.deals = deals;
          this.accountList = accounts;
          this.accounts = accountNames(accounts);
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

  private renderToggle(): void {
    replaceChildren(
      this.toggle,
      ...salesSettings().deal_types.map(({ id: type }) => {
        const count = this.deals.filter((deal) => dealTypeOf(deal) === type).length;
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

  /** The deals of the shown type that match the filter, by stage. */
  private visibleDeals(): Deal[] {
    const query = fold(this.filter.value.trim());
    return this.deals.filter((deal) => {
      if (dealTypeOf(deal) !== shownType) return false;
      if (!query) return true;
      return fold(`${deal.title} ${this.accounts.get(deal.account) ?? ''}`).includes(query);
    });
  }

  private render(): void {
    // The shown type may have been removed from the settings: fall back to the first one.
    shownType = dealTypeOf({ deal_type: shownType });
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
        new DealCard(deal, this.accounts.get(deal.account) ?? '', {
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

  /** Moves a deal; the card goes to its new column at once, then the board reloads. */
  private async move(deal: Deal, stage: string, card?: HTMLElement, column?: HTMLElement): Promise<void> {
    if (deal.stage === stage) return;
    this.error.clear();
    if (card && column) {
      column.querySelector('.column-empty')?.remove();
      column.querySelector('.column-body')?.appendChild(card);
      card.dataset.stage = stage;
    }
    try {
      const moved = await api.editDeal(deal.id, { stage });
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

/** Lower case without accents, for a forgiving filter ("negociation" finds "Négociation"). */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
