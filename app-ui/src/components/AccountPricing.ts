//! The customer's negotiated prices on the account page: a discount on every quote line
//! and special unit prices by catalogue reference. Quotes made for the customer use them,
//! offline too. "Modifier les tarifs" opens the form; the core checks the references and
//! the amounts (French amounts such as "1 100,00" are read).

import { api, type Account, type Product } from '../api';
import { h, replaceChildren } from '../dom';
import { formatMoney, formatPercent } from '../format';
import { t } from '../i18n';
import { may } from '../session';
import { FormError, formField, whileBusy } from './FormField';

export class AccountPricing {
  readonly el: HTMLElement;
  private readonly view: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly discount: HTMLInputElement;
  private readonly rows: HTMLTableSectionElement;
  private readonly newReference: HTMLSelectElement;
  private readonly newPrice: HTMLInputElement;
  private readonly error = new FormError();
  private readonly editButton: HTMLButtonElement;
  private readonly submit: HTMLButtonElement;
  private account: Account | null = null;
  private products: Product[] = [];
  private removed = new Set<string>();

  constructor(private readonly onChanged: () => void) {
    this.view = h('div', { id: 'pricing-view' });
    this.discount = h('input', { name: 'discount_percent', type: 'text', inputmode: 'decimal', autocomplete: 'off' });
    this.rows = h('tbody', {});
    this.newReference = h('select', { name: 'price_list', 'aria-label': t('field.reference') });
    this.newPrice = h('input', { name: 'new_price', type: 'text', inputmode: 'decimal', autocomplete: 'off', 'aria-label': t('pricing.price') });
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('form.save'));
    this.form = h(
      'form',
      { id: 'pricing-form', class: 'record-form', novalidate: true, hidden: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h('div', { class: 'form-grid' }, formField(t('pricing.discount'), this.discount, { hint: t('pricing.discountHint') })),
      h(
        'table',
        { class: 'data-table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('field.reference')), h('th', {}, t('pricing.price')), h('th', {}))),
        this.rows,
      ),
      h(
        'div',
        { class: 'inline-row' },
        this.newReference,
        this.newPrice,
        h('button', { id: 'pricing-add', type: 'button', class: 'button button-secondary button-small', on: { click: () => this.addRow() } }, t('pricing.add')),
      ),
      this.error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary', on: { click: () => this.close() } }, t('form.cancel')),
        this.submit,
      ),
    );
    this.editButton = h(
      'button',
      // The prices are the account's: changing them is editing it.
      { id: 'pricing-edit', type: 'button', class: 'button button-secondary button-small', hidden: !may('edit', 'account'), on: { click: () => void this.open() } },
      t('pricing.edit'),
    );
    this.el = h(
      'section',
      { id: 'account-pricing', class: 'card', 'aria-labelledby': 'pricing-title' },
      h('div', { class: 'card-header' }, h('h2', { id: 'pricing-title' }, t('pricing.title')), this.editButton),
      this.view,
      this.form,
    );
  }

  update(account: Account): void {
    this.account = account;
    const prices = priceList(account);
    replaceChildren(
      this.view,
      h(
        'p',
        { id: 'pricing-discount' },
        account.discount_percent ? t('pricing.discountOn', { percent: formatPercent(account.discount_percent) }) : t('pricing.noDiscount'),
      ),
      prices.length === 0
        ? h('p', { class: 'muted' }, t('pricing.noPrices'))
        : h(
            'ul',
            { id: 'pricing-prices', class: 'item-list' },
            ...prices.map(([reference, price]) =>
              h('li', { class: 'item-row', dataset: { reference } }, h('span', { class: 'item-title mono' }, reference), h('span', { class: 'item-amount' }, formatMoney(price))),
            ),
          ),
    );
  }

  private async open(): Promise<void> {
    const account = this.account;
    if (!account) return;
    this.products = await api.listProducts().catch((): Product[] => []);
    this.removed = new Set();
    this.discount.value = account.discount_percent ?? '';
    replaceChildren(this.rows);
    for (const [reference, price] of priceList(account)) this.row(reference, price);
    replaceChildren(
      this.newReference,
      h('option', { value: '' }, t('form.choose')),
      ...this.products.map((p) => h('option', { value: p.reference }, `${p.reference} · ${p.designation}`)),
    );
    this.newPrice.value = '';
    this.error.clear();
    this.view.hidden = true;
    this.editButton.hidden = true;
    this.form.hidden = false;
    this.discount.focus();
  }

  private close(): void {
    this.error.clear();
    this.form.hidden = true;
    this.view.hidden = false;
    this.editButton.hidden = false;
  }

  private row(reference: string, price: string): void {
    this.rows.querySelector(`tr[data-reference="${CSS.escape(reference)}"]`)?.remove();
    const input = h('input', { type: 'text', inputmode: 'decimal', value: price, 'aria-label': `${t('pricing.price')} ${reference}` });
    input.value = price;
    const tr = h(
      'tr',
      { dataset: { reference } },
      h('td', { class: 'mono' }, reference),
      h('td', {}, input),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary button-small',
            on: {
              click: () => {
                this.removed.add(reference);
                tr.remove();
              },
            },
          },
          t('pricing.remove'),
        ),
      ),
    );
    this.removed.delete(reference);
    this.rows.appendChild(tr);
  }

  private addRow(): void {
    const reference = this.newReference.value;
    const price = this.newPrice.value.trim();
    if (!reference || !price) {
      this.error.show(t('pricing.needBoth'));
      return;
    }
    this.error.clear();
    this.row(reference, price);
    this.newReference.value = '';
    this.newPrice.value = '';
  }

  private async save(): Promise<void> {
    const account = this.account;
    if (!account) return;
    this.error.clear();
    const prices = [...this.rows.querySelectorAll<HTMLTableRowElement>('tr[data-reference]')].map(
      (tr) => `${tr.dataset.reference}=${tr.querySelector('input')?.value.trim() ?? ''}`,
    );
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        await api.setPricing(account.id, this.discount.value.trim(), prices, [...this.removed]);
        this.close();
        this.onChanged();
      } catch (reason) {
        this.error.showFor(reason, this.form);
      }
    });
  }
}

/** The special prices of an account, by reference. */
function priceList(account: Account): Array<[string, string]> {
  if (!account.price_list) return [];
  try {
    const list = JSON.parse(account.price_list) as Record<string, string>;
    return Object.entries(list).sort(([a], [b]) => a.localeCompare(b));
  } catch {
    return [];
  }
}
