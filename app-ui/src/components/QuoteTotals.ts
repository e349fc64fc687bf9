//! The totals block of a quote: total excl. VAT, VAT per rate (with its base), total VAT
//! and total incl. VAT. Every number is the backend's; this only formats them.

import type { QuoteTotals as Totals } from '../api';
import { h, replaceChildren } from '../dom';
import { formatMoney, formatPercent } from '../format';
import { t } from '../i18n';

export class QuoteTotals {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;

  constructor() {
    this.list = h('dl', { class: 'totals' });
    this.el = h('div', { id: 'quote-totals', class: 'totals-box', 'aria-live': 'polite' }, this.list);
    this.update(null);
  }

  /** null: nothing to total yet (or the last preview failed). */
  update(totals: Totals | null): void {
    const money = (value: string | undefined) => (totals && value !== undefined ? formatMoney(value) : '—');
    replaceChildren(
      this.list,
      h('dt', {}, t('quote.totalNet')),
      h('dd', { id: 'quote-total-net' }, money(totals?.total_net)),
      ...(totals?.vat ?? []).flatMap((line) => [
        h(
          'dt',
          { class: 'vat-line' },
          t('quote.vatRate', { rate: formatPercent(line.rate_percent) }),
          h('span', { class: 'muted' }, ` ${t('quote.vatBase', { base: formatMoney(line.base) })}`),
        ),
        h('dd', { class: 'vat-line', dataset: { rate: String(line.rate_percent) } }, formatMoney(line.vat)),
      ]),
      h('dt', {}, t('quote.totalVat')),
      h('dd', { id: 'quote-total-vat' }, money(totals?.total_vat)),
      h('dt', { class: 'grand-total' }, t('quote.totalGross')),
      h('dd', { id: 'quote-total-gross', class: 'grand-total' }, money(totals?.total_gross)),
    );
  }
}
