//! One line of the quote editor: a catalogue product, a quantity and a discount, as
//! typed (or as saved, when a draft's lines are changed); its unit price, VAT rate and
//! net amount are shown from the backend's preview.

import type { LineInput, Product, QuoteLine } from '../api';
import { h, replaceChildren } from '../dom';
import { formatMoney, formatPercent } from '../format';
import { t } from '../i18n';

export class QuoteLineRow {
  readonly el: HTMLTableRowElement;
  readonly product: HTMLSelectElement;
  private readonly quantity: HTMLInputElement;
  private readonly discount: HTMLInputElement;
  private readonly unitPrice: HTMLElement;
  private readonly vat: HTMLElement;
  private readonly net: HTMLElement;
  private readonly appliedDiscount: HTMLElement;

  /** `initial`: a saved line to start from; its product is offered even if it left the catalogue. */
  constructor(
    products: Product[],
    onChange: () => void,
    onRemove: (row: QuoteLineRow) => void,
    initial: (LineInput & { designation: string }) | null = null,
  ) {
    const missing = initial && !products.some((product) => product.reference === initial.reference) ? initial : null;
    this.product = h(
      'select',
      { name: 'reference', 'aria-label': t('quote.product'), value: initial?.reference ?? '', on: { change: onChange } },
      h('option', { value: '' }, t('quote.chooseProduct')),
      ...products.map((product) => h('option', { value: product.reference }, `${product.reference} — ${product.designation}`)),
      missing ? h('option', { value: missing.reference }, missing.designation ? `${missing.reference} — ${missing.designation}` : missing.reference) : null,
    );
    this.quantity = h('input', { name: 'quantity', type: 'text', inputmode: 'decimal', value: initial?.quantity ?? '1', 'aria-label': t('quote.quantity'), class: 'numeric', on: { input: onChange } });
    this.discount = h('input', { name: 'discount', type: 'text', inputmode: 'decimal', value: initial?.discount ?? '0', 'aria-label': t('quote.discount'), class: 'numeric', on: { input: onChange } });
    this.unitPrice = h('td', { class: 'numeric muted' }, '—');
    this.vat = h('td', { class: 'numeric muted' }, '—');
    this.net = h('td', { class: 'numeric line-net' }, '—');
    this.appliedDiscount = h('small', { class: 'applied-discount', hidden: true });
    this.el = h(
      'tr',
      { class: 'quote-line' },
      h('td', { class: 'line-product' }, this.product),
      h('td', { class: 'line-quantity' }, this.quantity),
      h('td', { class: 'line-discount' }, h('div', { class: 'input-suffix' }, this.discount, h('span', {}, '%')), this.appliedDiscount),
      this.unitPrice,
      this.vat,
      this.net,
      h(
        'td',
        { class: 'line-actions' },
        h('button', { type: 'button', class: 'icon-button', title: t('quote.removeLine'), 'aria-label': t('quote.removeLine'), on: { click: () => onRemove(this) } }, '×'),
      ),
    );
  }

  /** The line to send, or null while no product is chosen or the quantity is empty. */
  input(): LineInput | null {
    const reference = this.product.value;
    const quantity = this.quantity.value.trim();
    if (!reference || !quantity) return null;
    return { reference, quantity, discount: this.discount.value.trim() || '0' };
  }

  /** The priced line and its net amount from the preview; nothing when not previewed. */
  show(line: QuoteLine | null, net: string | null): void {
    replaceChildren(this.unitPrice, line ? formatMoney(line.unit_price) : '—');
    replaceChildren(this.vat, line ? formatPercent(line.vat_percent) : '—');
    replaceChildren(this.net, net !== null ? formatMoney(net) : '—');
    // The account's negotiated discount applies to lines typed without one.
    const typed = this.discount.value.trim() || '0';
    const applied = line ? String(line.discount_percent) : null;
    const differs = applied !== null && normalise(applied) !== normalise(typed);
    this.appliedDiscount.hidden = !differs;
    this.appliedDiscount.textContent = differs ? t('quote.accountDiscount', { rate: formatPercent(applied) }) : '';
  }

  focus(): void {
    this.product.focus();
  }
}

/** "5.50" and "5,5" are the same percentage: compare the written digits, not floats. */
function normalise(text: string): string {
  const [units = '0', fraction = ''] = text.trim().replace(',', '.').split('.');
  const whole = units.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  return decimals ? `${whole}.${decimals}` : whole;
}
