//! The page of one product, as a rep shows it in front of a customer on a laptop: the
//! designation and price in large type, the pitch, strengths and weaknesses, and the
//! photos and videos. A media item is downloaded only when opened (with its progress:
//! videos are large), then kept on the device; "Ajouter une photo ou une vidéo" attaches
//! one offline, sent to the server after the records at the next sync.

import { api, events, type Product } from '../api';
import { h, replaceChildren } from '../dom';
import { formatMoney, formatPercent } from '../format';
import { t, type MessageKey } from '../i18n';
import { Reloader } from '../reload';
import { may } from '../session';
import { FormError, messageOf } from './FormField';
import { loadFailureMessage, recordPage } from './RecordPage';

const VIDEO = /\.(mp4|m4v|webm|mov|ogv)$/i;
const MIME: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', ogv: 'video/ogg', pdf: 'application/pdf' };

export class ProductPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly texts: HTMLElement;
  private readonly gallery: HTMLElement;
  private readonly file: HTMLInputElement;
  private readonly addButton: HTMLButtonElement;
  private product: Product | null = null;
  /** Blob addresses of the media shown, released when the page goes. */
  private readonly urls: string[] = [];
  private readonly reloader = new Reloader((reason) => this.error.show(loadFailureMessage(reason, 'product.notFound')));

  constructor(private readonly productId: string) {
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.texts = h('div', { id: 'product-texts', class: 'product-sheet' });
    this.gallery = h('div', { id: 'product-media', class: 'media-gallery' });
    this.file = h('input', { id: 'media-file', type: 'file', accept: 'image/*,video/*', hidden: true, on: { change: () => void this.attach() } });
    // Only those who may change the catalogue attach media (the server checks again).
    this.addButton = h('button', { id: 'add-media-button', type: 'button', class: 'button button-secondary', hidden: !may('edit', 'product'), on: { click: () => this.file.click() } }, '+ ', t('product.addMedia'));
    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      h('section', { class: 'card' }, this.texts),
      h('section', { class: 'card', 'aria-labelledby': 'media-title' }, h('div', { class: 'card-header' }, h('h2', { id: 'media-title' }, t('product.media'))), this.gallery, this.file),
    );
    this.el = recordPage({
      id: 'product-page',
      recordId: productId,
      back: { name: 'catalogue' },
      backLabel: t('catalogue.title'),
      header: [this.title, this.subtitle, this.addButton],
      error: this.error.el,
      body: this.body,
    });
    void this.refresh();
  }

  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const product = (await api.listProducts()).find((p) => p.id === this.productId);
      if (!product) throw new Error(t('product.gone'));
      return {
        shown: [product],
        show: () => {
          this.product = product;
          this.error.clear();
          this.render(product);
        },
      };
    });
  }

  private render(product: Product): void {
    this.title.textContent = product.designation;
    replaceChildren(
      this.subtitle,
      h('span', { class: 'reference' }, product.reference),
      h('span', { class: 'product-price' }, formatMoney(product.price), ' ', h('span', { class: 'muted' }, t('catalogue.exclVat'))),
      product.vat_percent ? h('span', { class: 'tag' }, t('catalogue.vat', { rate: formatPercent(product.vat_percent) })) : null,
    );
    const sections = (['pitch', 'strengths', 'weaknesses'] as const).filter((name) => product[name]?.trim());
    replaceChildren(
      this.texts,
      ...(sections.length === 0
        ? [h('p', { class: 'muted' }, t('catalogue.noArguments'))]
        : sections.map((name) => h('div', { class: `product-text text-${name}` }, h('h2', {}, t(`field.${name}` as MessageKey)), h('p', {}, product[name] ?? '')))),
    );
    const media = product.media ?? [];
    replaceChildren(
      this.gallery,
      ...(media.length === 0 ? [h('p', { class: 'muted' }, t('product.noMedia'))] : media.map((item, index) => this.tile(item, index))),
    );
    this.body.hidden = false;
  }

  /** A media item, closed until opened: then downloaded with its progress and shown. */
  private tile(item: string, index: number): HTMLElement {
    const video = VIDEO.test(item);
    const progress = h('progress', { class: 'media-progress', max: 100, hidden: true });
    const open = h('button', { type: 'button', class: 'button button-secondary button-small' }, video ? t('product.playVideo', { n: index + 1 }) : t('product.showPhoto', { n: index + 1 }));
    const tile = h('figure', { class: 'media-tile', dataset: { item } }, open, progress);
    open.addEventListener('click', async () => {
      open.disabled = true;
      progress.hidden = false;
      progress.removeAttribute('value');
      const stop = await events.onMediaProgress((p) => {
        if (p.item === item && p.total > 0) progress.value = Math.round((p.done * 100) / p.total);
      });
      try {
        const bytes = await api.mediaBytes(item);
        const ext = item.split('.').pop()?.toLowerCase() ?? '';
        const url = URL.createObjectURL(new Blob([bytes], { type: MIME[ext] ?? 'application/octet-stream' }));
        this.urls.push(url);
        replaceChildren(tile, video ? h('video', { src: url, controls: true, class: 'media-view' }) : h('img', { src: url, alt: t('product.photoOf', { name: this.product?.designation ?? '' }), class: 'media-view' }));
      } catch (reason) {
        open.disabled = false;
        progress.hidden = true;
        this.error.show(messageOf(reason));
      } finally {
        stop();
      }
    });
    return tile;
  }

  private async attach(): Promise<void> {
    const file = this.file.files?.[0];
    const product = this.product;
    this.file.value = '';
    if (!file || !product) return;
    this.error.clear();
    this.addButton.disabled = true;
    try {
      await api.attachMedia(product.reference, file);
      await this.refresh(true);
    } catch (reason) {
      this.error.show(messageOf(reason));
    } finally {
      this.addButton.disabled = false;
    }
  }
}
