//! A list of quotes (an account's, or a deal's): number, status, validity and total incl.
//! VAT. List views carry the lines as JSON only, so each total comes from `quote_view`:
//! the UI never adds up money.

import { api, type Quote } from '../api';
import { h, replaceChildren } from '../dom';
import { formatCalendarDate, formatMoney, quoteStatusLabel } from '../format';
import { t } from '../i18n';
import { routeToHash } from '../router';

export class QuoteList {
  readonly el: HTMLUListElement;
  private generation = 0;

  constructor(private readonly emptyText: string) {
    this.el = h('ul', { class: 'item-list quote-list' });
  }

  update(quotes: Quote[]): void {
    const generation = ++this.generation;
    if (quotes.length === 0) {
      replaceChildren(this.el, h('li', { class: 'list-empty' }, this.emptyText));
      return;
    }
    const sorted = [...quotes].sort((a, b) => b.number.localeCompare(a.number));
    const totals = new Map<string, HTMLElement>();
    replaceChildren(
      this.el,
      ...sorted.map((quote) => {
        const total = h('span', { class: 'item-amount muted' }, '…');
        totals.set(quote.id, total);
        return h(
          'li',
          { class: 'item-row', dataset: { id: quote.id } },
          h(
            'a',
            { class: 'item-main', href: routeToHash({ name: 'quote', id: quote.id }) },
            h('span', { class: 'item-title mono' }, quote.number),
            h(
              'span',
              { class: 'item-meta' },
              h('span', { class: `status-tag quote-${quote.status}` }, quoteStatusLabel(quote.status)),
              quote.valid_until ? h('span', {}, t('quote.validUntilShort', { date: formatCalendarDate(quote.valid_until) })) : null,
            ),
          ),
          total,
        );
      }),
    );
    for (const quote of sorted) {
      void api
        .quoteView(quote.id)
        .then((view) => {
          if (generation !== this.generation) return;
          const cell = totals.get(quote.id);
          if (cell) {
            cell.textContent = formatMoney(view.totals.total_gross);
            cell.title = t('quote.totalGross');
            cell.classList.remove('muted');
          }
        })
        .catch(() => {
          const cell = totals.get(quote.id);
          if (cell) cell.textContent = '';
        });
    }
  }
}
