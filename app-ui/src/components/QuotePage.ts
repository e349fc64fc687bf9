//! A saved quote: its lines and exact totals (`quote_view`), and the buttons that move
//! its status (sent, accepted, refused). Accepting a quote also wins its deal, which
//! creates the contract: the backend does it. Below, the history of its changes.

import { api, type QuoteStatus, type QuoteView } from '../api';
import { h, replaceChildren } from '../dom';
import { QUOTE_ACCEPTED, QUOTE_MOVES } from '../generated/vocabulary';
import { formatCalendarDate, formatMoney, formatPercent, formatQuantity, quoteStatusLabel } from '../format';
import { t, tCount } from '../i18n';
import { Reloader } from '../reload';
import { routeToHash } from '../router';
import { FormError, messageOf } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { QuoteTotals } from './QuoteTotals';
import { loadFailureMessage } from './RecordPage';


export class QuotePage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly actionsBox: HTMLElement;
  private readonly exportBox: HTMLElement;
  private readonly lines: HTMLTableSectionElement;
  private readonly totals = new QuoteTotals();
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly changes: HistoryPanel;
  private readonly reloader = new Reloader((reason) => this.error.show(loadFailureMessage(reason, 'quote.notFound')));

  constructor(private readonly quoteId: string, private readonly onChanged: () => void) {
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.actionsBox = h('div', { id: 'quote-status-actions', class: 'button-row' });
    this.exportBox = h('div', { class: 'button-row' });
    this.notice = h('p', { id: 'quote-pdf-notice', class: 'toast', role: 'status', hidden: true });
    this.lines = h('tbody', { id: 'quote-lines' });
    this.changes = new HistoryPanel(quoteId, 'quote');
    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      h(
        'section',
        { class: 'card' },
        h('div', { class: 'card-header' }, h('h2', {}, t('quote.lines'))),
        h(
          'table',
          { class: 'data-table quote-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('quote.reference')),
              h('th', {}, t('field.designation')),
              h('th', { class: 'numeric' }, t('quote.quantity')),
              h('th', { class: 'numeric' }, t('quote.unitPrice')),
              h('th', { class: 'numeric' }, t('quote.discount')),
              h('th', { class: 'numeric' }, t('quote.vat')),
              h('th', { class: 'numeric' }, t('quote.lineNet')),
            ),
          ),
          this.lines,
        ),
        h('div', { class: 'totals-row' }, this.totals.el),
      ),
      this.changes.el,
    );
    this.el = h(
      'section',
      { id: 'quote-page', class: 'page', dataset: { id: quoteId } },
      h('div', { class: 'page-header' }, h('div', {}, this.title, this.subtitle)),
      h('div', { class: 'toolbar' }, this.actionsBox, this.exportBox),
      this.error.el,
      this.body,
      this.notice,
    );
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    void this.changes.refresh();
    await this.reloader.run(force, async () => {
      const quote = await api.quoteView(this.quoteId);
      const [account, deal] = await Promise.all([
        api.accountView(quote.account).catch(() => null),
        quote.deal ? api.dealView(quote.deal).catch(() => null) : Promise.resolve(null),
      ]);
      return {
        shown: [quote, account?.name, deal?.title],
        show: () => {
          this.error.clear();
          this.render(quote, account?.name ?? '', deal?.title ?? null);
        },
      };
    });
  }

  private render(quote: QuoteView, accountName: string, dealTitle: string | null): void {
    this.title.textContent = t('quote.title', { number: quote.number });
    replaceChildren(
      this.subtitle,
      h('span', { id: 'quote-status', class: `status-tag quote-${quote.status}`, dataset: { status: quote.status } }, quoteStatusLabel(quote.status)),
      h('a', { href: routeToHash({ name: 'account', id: quote.account }) }, accountName || t('pipeline.unknownAccount')),
      quote.deal ? h('a', { href: routeToHash({ name: 'deal', id: quote.deal }) }, dealTitle ?? t('quote.deal')) : null,
      quote.valid_until ? h('span', {}, t('quote.validUntil', { date: formatCalendarDate(quote.valid_until) })) : null,
      h('span', {}, tCount('quote.lineCount', quote.lines.length)),
    );
    replaceChildren(
      this.actionsBox,
      // The moves the core's quote workflow allows from this status.
      ...(QUOTE_MOVES[quote.status] ?? []).map((next) => {
        const status = next as QuoteStatus;
        const button = h(
          'button',
          {
            id: `quote-status-${status}`,
            type: 'button',
            class: status === QUOTE_ACCEPTED ? 'button button-primary' : 'button button-secondary',
            title: status === QUOTE_ACCEPTED && quote.deal ? t('quote.acceptHelp') : null,
          },
          t(`quote.mark.${status}`),
        );
        button.addEventListener('click', () => void this.setStatus(status, button));
        return button;
      }),
    );
    replaceChildren(this.exportBox, this.pdfButton());
    replaceChildren(
      this.lines,
      ...quote.lines.map((line, index) =>
        h(
          'tr',
          {},
          h('td', { class: 'mono' }, line.reference),
          h('td', {}, line.designation),
          h('td', { class: 'numeric' }, formatQuantity(line.quantity)),
          h('td', { class: 'numeric' }, formatMoney(line.unit_price)),
          h('td', { class: 'numeric' }, formatPercent(line.discount_percent)),
          h('td', { class: 'numeric' }, formatPercent(line.vat_percent)),
          h('td', { class: 'numeric line-net' }, formatMoney(quote.totals.lines[index] ?? '')),
        ),
      ),
    );
    this.totals.update(quote.totals);
    this.body.hidden = false;
  }

  private pdfButton(): HTMLButtonElement {
    const button = h('button', { id: 'export-pdf-button', type: 'button', class: 'button button-secondary' }, t('quote.exportPdf'));
    button.addEventListener('click', () => void this.exportPdf(button));
    return button;
  }

  private async exportPdf(button: HTMLButtonElement): Promise<void> {
    this.error.clear();
    button.disabled = true;
    try {
      const path = await api.exportQuotePdf(this.quoteId);
      this.notice.textContent = t('quote.pdfSaved', { path });
      this.notice.hidden = false;
      window.setTimeout(() => (this.notice.hidden = true), 12000);
    } catch (reason) {
      this.error.show(messageOf(reason));
    } finally {
      button.disabled = false;
    }
  }

  private async setStatus(status: QuoteStatus, button: HTMLButtonElement): Promise<void> {
    this.error.clear();
    button.disabled = true;
    try {
      await api.setQuoteStatus(this.quoteId, status);
      this.onChanged();
    } catch (reason) {
      this.error.show(messageOf(reason));
    }
    await this.refresh(true);
  }
}
