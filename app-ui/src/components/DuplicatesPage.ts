//! « Doublons »: the pairs of accounts (or contacts, the other tab) likely to be one,
//! the likeliest first, with both names (links to their pages), the likeness as a
//! percentage and why (« même SIRET », « nom proche »). « Fusionner » opens the merge
//! under its pair (`MergePanel`); once done, the page says how many records moved to
//! the one kept and lists the pairs again. Offered to those who may delete the type
//! (a merge deletes one of the two): sales managers and administrators.

import { api, type DuplicatePair, type MergeReport, type User } from '../api';
import { h, replaceChildren } from '../dom';
import { reasonsText, scoreText } from '../duplicates';
import { t, tCount, type MessageKey } from '../i18n';
import { Reloader } from '../reload';
import { recordRoute, routeToHash } from '../router';
import { may } from '../session';
import { FormError, messageOf } from './FormField';
import { reviewPage, showEmpty } from './ListCard';
import { MergePanel } from './MergePanel';

type Kind = 'account' | 'contact';

const KINDS: readonly Kind[] = ['account', 'contact'];

/** The tab shown, kept while the app runs (coming back from a record keeps it). */
let shownKind: Kind = 'account';

export interface DuplicatesActions {
  /** A merge moved and deleted records: the portfolio changed. */
  onChanged: () => void;
}

export class DuplicatesPage {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly help: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly error = new FormError();
  private readonly reloader = new Reloader((reason) => this.error.show(t('duplicates.loadError', { message: messageOf(reason) })));
  /** Closes the merge open under its pair, if any. */
  private closeOpen: (() => void) | null = null;

  constructor(
    private readonly me: User | null,
    private readonly actions: DuplicatesActions,
  ) {
    ({ el: this.el, list: this.list, count: this.count, help: this.help } = reviewPage(
      { page: 'duplicates-page', list: 'duplicate-pairs', count: 'duplicates-count-line' },
      t('duplicates.title'),
      t('duplicates.help'),
      this.error.el,
    ));
    this.tabs = h('div', { id: 'duplicates-tabs', class: 'segmented', role: 'group', 'aria-label': t('duplicates.kinds') });
    this.notice = h('p', { id: 'duplicates-notice', class: 'form-notice', role: 'status', hidden: true });
    this.list.before(this.tabs, this.notice);
    this.renderTabs();
    void this.refresh(true);
  }

  /** Reloads after a sync or a merge; redrawn only when the pairs changed, so a merge
   *  being chosen stays open. */
  async refresh(force = false): Promise<void> {
    const kind = shownKind;
    await this.reloader.run(force, async () => {
      const pairs = await api.duplicatePairs(kind);
      return {
        shown: [kind, pairs],
        show: () => {
          this.error.clear();
          this.closeOpen = null;
          this.count.textContent = pairs.length > 0 ? tCount('duplicates.count', pairs.length) : '';
          this.help.hidden = pairs.length === 0;
          if (pairs.length === 0) showEmpty(this.list, t('duplicates.empty'));
          else replaceChildren(this.list, ...pairs.map((pair) => this.card(pair, kind)));
        },
      };
    });
  }

  private renderTabs(): void {
    replaceChildren(
      this.tabs,
      ...KINDS.map((kind) =>
        h(
          'button',
          {
            id: `duplicates-tab-${kind}`,
            type: 'button',
            class: kind === shownKind ? 'segment active' : 'segment',
            'aria-pressed': String(kind === shownKind),
            on: {
              click: () => {
                if (kind === shownKind) return;
                shownKind = kind;
                this.notice.hidden = true;
                this.renderTabs();
                showEmpty(this.list, t('account.loading'));
                void this.refresh(true);
              },
            },
          },
          t(`duplicates.tab.${kind}` as MessageKey),
        ),
      ),
    );
  }

  private card(pair: DuplicatePair, kind: Kind): HTMLElement {
    const name = (id: string, text: string) => {
      const route = recordRoute(kind, id);
      return route ? h('a', { class: 'duplicate-pair-name', href: routeToHash(route), dataset: { id } }, text) : h('span', {}, text);
    };
    const slot = h('div', { class: 'merge-slot' });
    const merge = h('button', { type: 'button', class: 'button button-primary button-small duplicate-merge', hidden: !may('delete', kind) }, t('duplicates.merge'));
    merge.addEventListener('click', () => this.openMerge(pair, kind, slot, merge));
    return h(
      'li',
      { class: 'card review-card duplicate-pair', dataset: { a: pair.a, b: pair.b } },
      h(
        'div',
        { class: 'review-card-header' },
        h(
          'div',
          { class: 'review-record' },
          h('span', { class: 'record-type-tag' }, t(`duplicates.tab.${kind}` as MessageKey)),
          h('h2', { class: 'review-record-name' }, name(pair.a, pair.a_name), ` ${t('duplicates.and')} `, name(pair.b, pair.b_name)),
        ),
        merge,
      ),
      h(
        'p',
        { class: 'review-meta' },
        h('span', { class: 'tag duplicate-score', title: t('duplicates.score') }, scoreText(pair.score)),
        h('span', { class: 'duplicate-reasons' }, reasonsText(pair.reasons)),
      ),
      slot,
    );
  }

  /** Opens the merge of `pair` in its card, closing any other. */
  private openMerge(pair: DuplicatePair, kind: Kind, slot: HTMLElement, button: HTMLButtonElement): void {
    this.closeMerge();
    this.notice.hidden = true;
    button.hidden = true;
    const close = () => {
      replaceChildren(slot);
      button.hidden = false;
      if (this.closeOpen === close) this.closeOpen = null;
      button.focus();
    };
    const panel = new MergePanel(pair, kind, this.me, {
      onMerged: (report) => void this.merged(report),
      onCancel: close,
    });
    this.closeOpen = close;
    replaceChildren(slot, panel.el);
  }

  private closeMerge(): void {
    const close = this.closeOpen;
    this.closeOpen = null;
    close?.();
  }

  private async merged(report: MergeReport): Promise<void> {
    this.closeOpen = null;
    this.notice.textContent = tCount('duplicates.merged', report.moved);
    this.notice.hidden = false;
    this.actions.onChanged();
    await this.refresh(true);
  }
}
