//! The "Nouveau produit" form of the catalogue: reference (8 characters), designation,
//! price excl. VAT, VAT rate, and the sales arguments (pitch, strengths, weaknesses).

import { api, type Fields, type Product } from '../api';
import { h } from '../dom';
import { formatPercent } from '../format';
import { t } from '../i18n';
import { FormError, formField, messageOf, whileBusy } from './FormField';

/** The French VAT rates. */
const VAT_RATES = ['20', '10', '5.5', '2.1', '0'] as const;

export class ProductForm {
  readonly el: HTMLFormElement;
  private readonly reference: HTMLInputElement;
  private readonly designation: HTMLInputElement;
  private readonly price: HTMLInputElement;
  private readonly vat: HTMLSelectElement;
  private readonly pitch: HTMLTextAreaElement;
  private readonly strengths: HTMLTextAreaElement;
  private readonly weaknesses: HTMLTextAreaElement;
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;

  constructor(private readonly onCreated: (product: Product) => void, private readonly onCancel: () => void) {
    this.reference = h('input', { name: 'reference', type: 'text', maxlength: 8, autocomplete: 'off', spellcheck: false, class: 'mono', placeholder: 'MAINT-01' });
    this.designation = h('input', { name: 'designation', type: 'text', autocomplete: 'off' });
    this.price = h('input', { name: 'price', type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: '99.00' });
    this.vat = h('select', { name: 'vat_percent', value: '20' }, ...VAT_RATES.map((rate) => h('option', { value: rate }, formatPercent(rate))));
    this.pitch = h('textarea', { name: 'pitch', rows: 3 });
    this.strengths = h('textarea', { name: 'strengths', rows: 3 });
    this.weaknesses = h('textarea', { name: 'weaknesses', rows: 3 });
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('form.save'));

    this.el = h(
      'form',
      { id: 'product-form', class: 'card record-form', novalidate: true, hidden: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h('div', { class: 'card-header' }, h('h2', {}, t('catalogue.new'))),
      h(
        'div',
        { class: 'form-grid form-grid-3' },
        formField(t('field.reference'), this.reference, { hint: t('field.referenceHint') }),
        formField(t('field.designation'), this.designation, { wide: true }),
        formField(t('field.price'), this.price),
        formField(t('field.vat_percent'), this.vat),
        formField(t('field.pitch'), this.pitch, { wide: true }),
        formField(t('field.strengths'), this.strengths),
        formField(t('field.weaknesses'), this.weaknesses),
      ),
      this.error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary', on: { click: () => { this.close(); this.onCancel(); } } }, t('form.cancel')),
        this.submit,
      ),
    );
  }

  open(): void {
    this.el.hidden = false;
    this.reference.focus();
  }

  close(): void {
    this.el.reset();
    this.vat.value = '20';
    this.error.clear();
    this.el.hidden = true;
  }

  private async save(): Promise<void> {
    this.error.clear();
    const fields: Fields = { vat_percent: this.vat.value };
    const text = { reference: this.reference, designation: this.designation, price: this.price };
    for (const [name, input] of Object.entries(text)) {
      if (input.value.trim()) fields[name] = input.value.trim();
    }
    const long = { pitch: this.pitch, strengths: this.strengths, weaknesses: this.weaknesses };
    for (const [name, input] of Object.entries(long)) {
      if (input.value.trim()) fields[name] = input.value;
    }
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        const product = await api.createRecord<Product>('product', fields);
        this.close();
        this.onCreated(product);
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}
