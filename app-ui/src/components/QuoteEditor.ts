//! The quote editor: the account and deal it is for, lines chosen from the catalogue
//! (reference, quantity, discount), and live totals. After every change, and 150 ms of
//! quiet, the lines go to `quote_preview`: prices, line amounts, VAT per rate and totals
//! all come from the backend, exact to the cent. "Enregistrer" calls `create_quote`.

import { api, type Account, type Deal, type LineInput, type Product, type QuoteView } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { accountSelect, setAccounts } from './AccountSelect';
import { FormError, formField, messageOf, whileBusy } from './FormField';
import { QuoteLineRow } from './QuoteLineRow';
import { QuoteTotals } from './QuoteTotals';
import { backLink } from './RecordPage';

const PREVIEW_DEBOUNCE_MS = 150;

export interface QuoteEditorOptions {
  account: string | null;
  deal: string | null;
  onSaved: (quote: QuoteView) => void;
  onCancel: () => void;
}

export class QuoteEditor {
  readonly el: HTMLElement;
  private readonly account: HTMLSelectElement;
  private readonly deal: HTMLSelectElement;
  private readonly lines: HTMLTableSectionElement;
  private readonly totals = new QuoteTotals();
  private readonly previewError: HTMLElement;
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;
  private readonly addButton: HTMLButtonElement;
  private rows: QuoteLineRow[] = [];
  private products: Product[] = [];
  private debounce: number | undefined;
  private generation = 0;

  constructor(private readonly options: QuoteEditorOptions) {
    this.account = accountSelect({ name: 'account' });
    this.account.addEventListener('change', () => {
      void this.loadDeals(null);
      // The account's pricing rules (special prices, negotiated discount) change the lines.
      this.schedulePreview();
    });
    this.deal = h('select', { name: 'deal' }, h('option', { value: '' }, t('quote.noDeal')));
    this.lines = h('tbody', { id: 'quote-lines' });
    this.previewError = h('p', { id: 'quote-preview-error', class: 'form-error', role: 'alert', hidden: true });
    this.addButton = h('button', { id: 'add-line-button', type: 'button', class: 'button button-secondary button-small', disabled: true, on: { click: () => this.addLine(true) } }, '+ ', t('quote.addLine'));
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('quote.save'));

    const form = h(
      'form',
      { id: 'quote-form', class: 'quote-editor', novalidate: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h(
        'section',
        { class: 'card' },
        h('div', { class: 'form-grid' }, formField(t('field.account'), this.account), formField(t('field.deal'), this.deal)),
      ),
      h(
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
      ),
      this.error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary', on: { click: () => options.onCancel() } }, t('form.cancel')),
        this.submit,
      ),
    );

    this.el = h(
      'section',
      { id: 'quote-editor', class: 'page' },
      options.deal
        ? backLink({ name: 'deal', id: options.deal }, t('quote.backToDeal'))
        : options.account
          ? backLink({ name: 'account', id: options.account }, t('quote.backToAccount'))
          : null,
      h('div', { class: 'page-header' }, h('div', {}, h('h1', { class: 'page-title' }, t('quote.new')), h('div', { class: 'page-subtitle' }, t('quote.newHelp')))),
      form,
    );
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [accounts, products] = await Promise.all([api.listAccounts(), api.listProducts()]);
      this.products = products.sort((a, b) => a.reference.localeCompare(b.reference));
      this.setAccounts(accounts);
      await this.loadDeals(this.options.deal);
      this.addButton.disabled = false;
      if (this.products.length === 0) {
        replaceChildren(this.lines, h('tr', {}, h('td', { colSpan: 7, class: 'list-empty' }, t('quote.noProducts'))));
        this.addButton.disabled = true;
      } else {
        this.addLine(false);
      }
    } catch (reason) {
      this.error.show(messageOf(reason));
    }
  }

  private setAccounts(accounts: Account[]): void {
    setAccounts(this.account, accounts, this.options.account);
  }

  /** The deals of the chosen account, `selected` chosen when it is one of them. */
  private async loadDeals(selected: string | null): Promise<void> {
    const account = this.account.value;
    let deals: Deal[] = [];
    if (account) {
      try {
        deals = await api.listDeals(account);
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    }
    if (account !== this.account.value) return;
    replaceChildren(
      this.deal,
      h('option', { value: '' }, t('quote.noDeal')),
      ...deals.map((deal) => h('option', { value: deal.id }, deal.title)),
    );
    this.deal.value = selected && deals.some((deal) => deal.id === selected) ? selected : '';
    this.deal.disabled = !account;
  }

  private addLine(focus: boolean): void {
    const row = new QuoteLineRow(this.products, () => this.schedulePreview(), (removed) => this.removeLine(removed));
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

  private schedulePreview(): void {
    window.clearTimeout(this.debounce);
    this.debounce = window.setTimeout(() => void this.preview(), PREVIEW_DEBOUNCE_MS);
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
        this.account.value || null,
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

  private async save(): Promise<void> {
    this.error.clear();
    const lines = this.readyRows().map((r) => r.input);
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        const quote = await api.createQuote(this.account.value, this.deal.value || null, lines);
        this.options.onSaved(quote);
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}
