//! A saved quote: its lines and exact totals (`quote_view`), and the buttons that move
//! its status (on a draft "Envoyer" first, then accepted, refused). Accepting a quote
//! also wins its deal, which creates the contract: the backend does it, and the page asks
//! first. A draft's lines can be changed ("Modifier les lignes"): the quote editor's lines
//! open in place, prefilled, priced live, and saved with `edit_quote_lines`. Below, the
//! history of its changes.

import { api, type Product, type QuoteStatus, type QuoteView } from '../api';
import { h, replaceChildren } from '../dom';
import { formatCalendarDate, formatMoney, formatPercent, formatQuantity, quoteStatusLabel } from '../format';
import { t, tCount } from '../i18n';
import { isDraftQuote, lineInputsOf, QUOTE_SENT, quoteActions, type QuoteAction } from '../quoteActions';
import { Reloader } from '../reload';
import { routeToHash } from '../router';
import { may } from '../session';
import { FormError, messageOf, whileBusy } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { QuoteLinesEditor } from './QuoteLinesEditor';
import { QuoteTotals } from './QuoteTotals';
import { loadFailureMessage } from './RecordPage';

/** The lines being changed: the editor, in its form, in place of the lines' card. */
interface LinesEdit {
  form: HTMLFormElement;
  editor: QuoteLinesEditor;
  error: FormError;
  save: HTMLButtonElement;
}

export class QuotePage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly actionsBox: HTMLElement;
  private readonly exportBox: HTMLElement;
  private readonly lines: HTMLTableSectionElement;
  private readonly linesCard: HTMLElement;
  private readonly editLinesButton: HTMLButtonElement;
  private readonly confirm: HTMLElement;
  private readonly totals = new QuoteTotals();
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly changes: HistoryPanel;
  private quote: QuoteView | null = null;
  private linesEdit: LinesEdit | null = null;
  private readonly reloader = new Reloader((reason) => this.error.show(loadFailureMessage(reason, 'quote.notFound')));

  constructor(private readonly quoteId: string, private readonly onChanged: () => void) {
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.actionsBox = h('div', { id: 'quote-status-actions', class: 'button-row' });
    this.exportBox = h('div', { class: 'button-row' });
    this.notice = h('p', { id: 'quote-pdf-notice', class: 'toast', role: 'status', hidden: true });
    this.confirm = h('div', { id: 'quote-status-confirm', class: 'confirm-bar', role: 'alertdialog', hidden: true });
    this.lines = h('tbody', { id: 'quote-lines' });
    this.changes = new HistoryPanel(quoteId, 'quote');
    this.editLinesButton = h(
      'button',
      { id: 'quote-edit-lines-button', type: 'button', class: 'button button-secondary button-small', hidden: true, on: { click: () => void this.openLinesEditor() } },
      t('quote.editLines'),
    );
    this.linesCard = h(
      'section',
      { class: 'card' },
      h('div', { class: 'card-header' }, h('h2', {}, t('quote.lines')), this.editLinesButton),
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
    );
    this.body = h('div', { class: 'account-body', hidden: true }, this.linesCard, this.changes.el);
    this.el = h(
      'section',
      { id: 'quote-page', class: 'page', dataset: { id: quoteId } },
      h('div', { class: 'page-header' }, h('div', {}, this.title, this.subtitle)),
      h('div', { class: 'toolbar' }, this.actionsBox, this.exportBox),
      this.confirm,
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
    this.quote = quote;
    // The moves the core's quote workflow allows from this status, the main one first,
    // for those who may edit quotes.
    const editable = may('edit', 'quote');
    replaceChildren(this.actionsBox, ...(editable ? quoteActions(quote.status) : []).map((action) => this.statusButton(action, quote)));
    // Only a draft's lines change.
    this.editLinesButton.hidden = !(editable && isDraftQuote(quote.status));
    this.editLinesButton.disabled = false;
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

  /** A move of the quote's workflow: "Envoyer" on a draft, "Marquer …" otherwise. */
  private statusButton(action: QuoteAction, quote: QuoteView): HTMLButtonElement {
    const status = action.status as QuoteStatus;
    const sends = action.primary && action.status === QUOTE_SENT;
    let help: string | null = null;
    if (sends) help = t('quote.sendHelp');
    else if (action.confirm && quote.deal) help = t('quote.acceptHelp');
    const button = h(
      'button',
      {
        id: `quote-status-${status}`,
        type: 'button',
        class: action.primary ? 'button button-primary' : 'button button-secondary',
        title: help,
      },
      sends ? t('quote.send') : t(`quote.mark.${status}`),
    );
    button.addEventListener('click', () => void this.setStatus(action, button));
    return button;
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
      // Where it went, and the way to open it at once with the system's PDF reader.
      const open = h('button', { id: 'quote-pdf-open', type: 'button', class: 'button button-secondary button-small' }, t('quote.pdfOpen'));
      open.addEventListener('click', () => {
        api.openExport(path).catch((reason: unknown) => this.error.show(messageOf(reason)));
      });
      replaceChildren(this.notice, h('span', {}, t('quote.pdfSaved', { path })), ' ', open);
      this.notice.hidden = false;
      window.setTimeout(() => (this.notice.hidden = true), 20000);
    } catch (reason) {
      this.error.show(messageOf(reason));
    } finally {
      button.disabled = false;
    }
  }

  private async setStatus(action: QuoteAction, button: HTMLButtonElement): Promise<void> {
    this.error.clear();
    if (action.confirm && !(await this.confirmAccept())) return;
    button.disabled = true;
    try {
      await api.setQuoteStatus(this.quoteId, action.status as QuoteStatus);
      this.onChanged();
    } catch (reason) {
      this.error.show(messageOf(reason));
    }
    await this.refresh(true);
  }

  /** Asks in the page (no system dialog) before accepting: resolves true on "Accepter". */
  private confirmAccept(): Promise<boolean> {
    const question = this.quote?.deal ? t('quote.confirmAcceptDeal') : t('quote.confirmAccept');
    const buttons = [...this.actionsBox.querySelectorAll('button'), this.editLinesButton];
    return new Promise((resolve) => {
      const done = (answer: boolean) => {
        replaceChildren(this.confirm);
        this.confirm.hidden = true;
        this.confirm.onkeydown = null;
        for (const button of buttons) button.disabled = false;
        resolve(answer);
      };
      const yes = h('button', { id: 'quote-confirm-yes', type: 'button', class: 'button button-primary button-small', on: { click: () => done(true) } }, t('quote.confirmAcceptYes'));
      const no = h('button', { id: 'quote-confirm-no', type: 'button', class: 'button button-secondary button-small', on: { click: () => done(false) } }, t('form.cancel'));
      this.confirm.onkeydown = (event) => {
        if (event.key === 'Escape') done(false);
      };
      replaceChildren(this.confirm, h('span', {}, question), no, yes);
      this.confirm.hidden = false;
      for (const button of buttons) button.disabled = true;
      yes.focus();
    });
  }

  /** Puts the editor, prefilled with the draft's lines, in place of the lines' card. */
  private async openLinesEditor(): Promise<void> {
    const quote = this.quote;
    if (!quote || this.linesEdit) return;
    this.error.clear();
    this.editLinesButton.disabled = true;
    let products: Product[];
    try {
      products = await api.listProducts();
    } catch (reason) {
      this.error.show(messageOf(reason));
      this.editLinesButton.disabled = false;
      return;
    }
    // The account's special prices and negotiated discount apply to the changed lines too.
    const editor = new QuoteLinesEditor(() => quote.account);
    editor.start(products, lineInputsOf(quote.lines), quote.lines);
    const error = new FormError();
    const save = h('button', { id: 'quote-lines-save', type: 'submit', class: 'button button-primary' }, t('quote.saveLines'));
    const form = h(
      'form',
      {
        id: 'quote-lines-form',
        class: 'quote-editor',
        novalidate: true,
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.saveLines();
          },
          keydown: (event) => {
            if (event.key === 'Escape') this.closeLinesEditor();
          },
        },
      },
      editor.el,
      error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { id: 'quote-lines-cancel', type: 'button', class: 'button button-secondary', on: { click: () => this.closeLinesEditor() } }, t('form.cancel')),
        save,
      ),
    );
    this.linesEdit = { form, editor, error, save };
    this.linesCard.replaceWith(form);
    // No status move while the lines are half changed: save or cancel first.
    this.actionsBox.hidden = true;
    editor.focus();
  }

  private closeLinesEditor(): void {
    const edit = this.linesEdit;
    if (!edit) return;
    this.linesEdit = null;
    edit.form.replaceWith(this.linesCard);
    this.actionsBox.hidden = false;
    this.editLinesButton.disabled = false;
    if (!this.editLinesButton.hidden) this.editLinesButton.focus();
  }

  /** Sends the lines; a refusal is told under the editor, which stays open. */
  private async saveLines(): Promise<void> {
    const edit = this.linesEdit;
    if (!edit) return;
    edit.error.clear();
    let saved = false;
    await whileBusy(edit.save, t('form.saving'), async () => {
      try {
        await api.editQuoteLines(this.quoteId, edit.editor.inputs());
        saved = true;
      } catch (reason) {
        edit.error.show(messageOf(reason));
      }
    });
    if (!saved) return;
    this.closeLinesEditor();
    this.onChanged();
    await this.refresh(true);
  }
}
