//! The catalogue: one card per product with its reference, designation, price excl.
//! VAT and VAT rate; the sales arguments (pitch, strengths, weaknesses) fold out. The
//! "Nouveau produit" form adds one; the filter narrows by reference or designation; the
//! products shown are exported to Excel or CSV.

import { api, type Product } from '../api';
import { h, replaceChildren } from '../dom';
import { formatMoney, formatPercent } from '../format';
import { t, tCount, type MessageKey } from '../i18n';
import { Reloader } from '../reload';
import { routeToHash } from '../router';
import { ExportButtons } from './ExportButtons';
import { filterBox, filterInput } from './FilterBox';
import { FormError, messageOf } from './FormField';
import { newRecordButton, pageHeader } from './ListPage';
import { ProductForm } from './ProductForm';

export class CataloguePage {
  readonly el: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly count: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly error = new FormError();
  private readonly form: ProductForm;
  private readonly newButton: HTMLButtonElement;
  private products: Product[] = [];
  /** The products the page shows now, as filtered: what the export writes. */
  private shownIds: string[] = [];
  private loaded = false;
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor() {
    this.grid = h('div', { id: 'product-list', class: 'product-grid' });
    this.count = h('div', { class: 'page-subtitle' });
    this.filter = filterInput({ id: 'catalogue-filter', placeholder: t('catalogue.filter'), onInput: () => this.render() });
    // A rep reads the catalogue; those who may add to it get the button.
    this.newButton = newRecordButton('new-product-button', 'product', t('catalogue.new'), () => this.openForm());
    this.form = new ProductForm(
      () => {
        this.newButton.hidden = false;
        void this.refresh();
      },
      () => (this.newButton.hidden = false),
    );
    this.el = h(
      'section',
      { id: 'catalogue-page', class: 'page' },
      pageHeader(t('catalogue.title'), this.count, this.newButton),
      this.form.el,
      h(
        'div',
        { class: 'toolbar' },
        filterBox(this.filter),
        new ExportButtons({ id: 'products-export', recordType: 'product', ids: () => this.shownIds }).el,
      ),
      this.error.el,
      this.grid,
    );
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const products = await api.listProducts();
      return {
        shown: products,
        show: () => {
          this.products = products.sort((a, b) => a.reference.localeCompare(b.reference));
          this.loaded = true;
          this.error.clear();
          this.render();
        },
      };
    });
  }

  private openForm(): void {
    this.newButton.hidden = true;
    this.form.open();
  }

  private render(): void {
    this.count.textContent = this.loaded ? tCount('catalogue.count', this.products.length) : '';
    const query = this.filter.value.trim().toLowerCase();
    const products = this.products.filter((p) => !query || `${p.reference} ${p.designation}`.toLowerCase().includes(query));
    this.shownIds = products.map((product) => product.id);
    if (products.length === 0) {
      replaceChildren(this.grid, h('p', { class: 'list-empty card' }, this.loaded ? t(this.products.length ? 'catalogue.noMatch' : 'catalogue.empty') : t('account.loading')));
      return;
    }
    replaceChildren(this.grid, ...products.map((product) => productCard(product)));
  }
}

function productCard(product: Product): HTMLElement {
  const sections = (['pitch', 'strengths', 'weaknesses'] as const).filter((name) => product[name]?.trim());
  return h(
    'article',
    { class: 'card product-card', dataset: { id: product.id, reference: product.reference } },
    h('div', { class: 'product-top' }, h('span', { class: 'reference' }, product.reference), product.vat_percent ? h('span', { class: 'tag' }, t('catalogue.vat', { rate: formatPercent(product.vat_percent) })) : null),
    h('h3', { class: 'product-name' }, h('a', { href: routeToHash({ name: 'product', id: product.id }) }, product.designation)),
    product.media?.length ? h('span', { class: 'muted product-media-count' }, t('catalogue.mediaCount', { count: product.media.length })) : null,
    h('div', { class: 'product-price' }, formatMoney(product.price), h('span', { class: 'muted' }, ` ${t('catalogue.exclVat')}`)),
    sections.length
      ? h(
          'details',
          { class: 'product-details' },
          h('summary', {}, t('catalogue.arguments')),
          ...sections.map((name) =>
            h('div', { class: `product-text text-${name}` }, h('h4', {}, t(`field.${name}` as MessageKey)), h('p', {}, product[name] ?? '')),
          ),
        )
      : h('p', { class: 'muted product-none' }, t('catalogue.noArguments')),
  );
}
