//! The new quote page: the account and deal it is for, and its lines chosen from the
//! catalogue with live totals (`QuoteLinesEditor`, which prices them through
//! `quote_preview` with the chosen account's rules). "Enregistrer" calls `create_quote`.

import { api, type Account, type Deal, type QuoteView } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { accountSelect, setAccounts } from './AccountSelect';
import { FormError, formField, messageOf, whileBusy } from './FormField';
import { QuoteLinesEditor } from './QuoteLinesEditor';
import { backLink } from './RecordPage';

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
  private readonly lines: QuoteLinesEditor;
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;

  constructor(private readonly options: QuoteEditorOptions) {
    this.account = accountSelect({ name: 'account' });
    this.account.addEventListener('change', () => {
      void this.loadDeals(null);
      // The account's pricing rules (special prices, negotiated discount) change the lines.
      this.lines.schedulePreview();
    });
    this.deal = h('select', { name: 'deal' }, h('option', { value: '' }, t('quote.noDeal')));
    this.lines = new QuoteLinesEditor(() => this.account.value || null);
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('quote.save'));

    const form = h(
      'form',
      { id: 'quote-form', class: 'quote-editor', novalidate: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h(
        'section',
        { class: 'card' },
        h('div', { class: 'form-grid' }, formField(t('field.account'), this.account), formField(t('field.deal'), this.deal)),
      ),
      this.lines.el,
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
      this.setAccounts(accounts);
      await this.loadDeals(this.options.deal);
      this.lines.start(products);
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

  private async save(): Promise<void> {
    this.error.clear();
    const lines = this.lines.inputs();
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
