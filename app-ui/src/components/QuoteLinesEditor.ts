//! The lines of a quote being written: one row per catalogue product (reference,
//! quantity, discount), "Ajouter une ligne", and live totals. After every change, and
//! 150 ms of quiet, the lines go to `quote_preview` with the account's pricing rules:
//! prices, line amounts, VAT per rate and totals all come from the backend, exact to the
//! cent. Used by the new quote page and by a draft quote's "Modifier les lignes".

import { api, type LineInput, type Product, type QuoteLine } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { messageOf } from './FormField';
import { QuoteLineRow } from './QuoteLineRow';
import { QuoteTotals } from './QuoteTotals';

const PREVIEW_DEBOUNCE_MS = 150;

export class QuoteLinesEditor {
  /** The card: its header with "Ajouter une ligne", the lines, the preview's error, the totals. */
  readonly el: HTMLElement;
  private readonly lines: HTMLTableSectionElement;
  private readonly totals = new QuoteTotals();
  private readonly previewError: HTMLElement;
  private readonly addButton: HTMLButtonElement;
  private rows: QuoteLineRow[] = [];
  private products: Product[] = [];
  private debounce: number | undefined;
  private generation = 0;

  /** `account` answers the account whose pricing rules apply, when one is chosen. */
  constructor(private readonly account: () => string | null) {
    this.lines = h('tbody', { id: 'quote-lines' });
    this.previewError = h('p', { id: 'quote-preview-error', class: 'form-error', role: 'alert', hidden: true });
    this.addButton = h('button', { id: 'add-line-button', type: 'button', class: 'button button-secondary button-small', disabled: true, on: { click: () => this.addLine(null, true) } }, '+ ', t('quote.addLine'));
    this.el = h(
      'section',
      { class: 'card' },
      h('div', { class: 'card-header' }, h('h2', {}, t('quote.lines')), this.addButton),
      h(
        'table',
        { class: 'data-table quote-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, t('quote.product')),
            h('th', { class: 'numeric' }, t('quote.quantity')),
            h('th', { class: 'numeric' }, t('quote.discount')),
            h('th', { class: 'numeric' }, t('quote.unitPrice')),
            h('th', { class: 'numeric' }, t('quote.vat')),
            h('th', { class: 'numeric' }, t('quote.lineNet')),
            h('th', {}, ''),
          ),
        ),
        this.lines,
      ),
      this.previewError,
      h('div', { class: 'totals-row' }, this.totals.el),
    );
  }

  /**
   * Shows `lines` (one empty line when there are none) chosen among `products`. A saved
   * line whose product left the catalogue keeps its reference, named by `known`.
   */
  start(products: Product[], lines: LineInput[] = [], known: readonly QuoteLine[] = []): void {
    this.products = [...products].sort((a, b) => a.reference.localeCompare(b.reference));
    this.rows = [];
    replaceChildren(this.lines);
    if (this.products.length === 0 && lines.length === 0) {
      replaceChildren(this.lines, h('tr', {}, h('td', { colSpan: 7, class: 'list-empty' }, t('quote.noProducts'))));
      this.addButton.disabled = true;
      return;
    }
    this.addButton.disabled = this.products.length === 0;
    if (lines.length === 0) this.addLine(null, false);
    for (const line of lines) {
      this.addLine({ ...line, designation: known.find((k) => k.reference === line.reference)?.designation ?? '' }, false);
    }
  }

  /** The lines ready to send: a product chosen and a quantity typed. */
  inputs(): LineInput[] {
    return this.readyRows().map((r) => r.input);
  }

  /** Prices the lines again, after the quiet delay (the account changed, for example). */
  schedulePreview(): void {
    window.clearTimeout(this.debounce);
    this.debounce = window.setTimeout(() => void this.preview(), PREVIEW_DEBOUNCE_MS);
  }

  /** The first line's product, for the focus. */
  focus(): void {
    this.rows[0]?.focus();
  }

  private addLine(initial: (LineInput & { designation: string }) | null, focus: boolean): void {
    const row = new QuoteLineRow(this.products, () => this.schedulePreview(), (removed) => this.removeLine(removed), initial);
    this.rows.push(row);
    this.lines.appendChild(row.el);
    if (focus) row.focus();
    this.schedulePreview();
  }

  private removeLine(row: QuoteLineRow): void {
    this.rows = this.rows.filter((r) => r !== row);
    row.el.remove();
    this.schedulePreview();
  }

  /** Rows ready to send, with their inputs. */
  private readyRows(): Array<{ row: QuoteLineRow; input: LineInput }> {
    return this.rows.flatMap((row) => {
      const input = row.input();
      return input ? [{ row, input }] : [];
    });
  }

  private async preview(): Promise<void> {
    const generation = ++this.generation;
    const ready = this.readyRows();
    for (const row of this.rows) row.show(null, null);
    if (ready.length === 0) {
      this.totals.update(null);
      this.previewError.hidden = true;
      return;
    }
    try {
      const preview = await api.quotePreview(
        ready.map((r) => r.input),
        this.account(),
      );
      if (generation !== this.generation) return;
      ready.forEach(({ row }, index) => row.show(preview.lines[index] ?? null, preview.totals.lines[index] ?? null));
      this.totals.update(preview.totals);
      this.previewError.hidden = true;
    } catch (reason) {
      if (generation !== this.generation) return;
      this.totals.update(null);
      this.previewError.textContent = messageOf(reason);
      this.previewError.hidden = false;
    }
  }
}
