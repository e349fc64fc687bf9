//! The criteria of the portfolio (REQUIREMENTS C6): kind, city, postal code (its start),
//! tag, and the saved filters to reuse them. The core filters, offline; this panel only
//! collects the criteria and keeps the saved filters' list.

import { api, type AccountFilter, type SavedFilter } from '../api';
import { h, replaceChildren } from '../dom';
import { choiceLabel, choicesOf } from '../format';
import { t } from '../i18n';
import { FormError, messageOf } from './FormField';

const TEXT_CRITERIA = ['city', 'postal_code', 'tag'] as const;

export class PortfolioFilter {
  readonly el: HTMLElement;
  readonly toggle: HTMLButtonElement;
  private readonly kind: HTMLSelectElement;
  private readonly texts = new Map<(typeof TEXT_CRITERIA)[number], HTMLInputElement>();
  private readonly saved: HTMLSelectElement;
  private readonly saveName: HTMLInputElement;
  private readonly error = new FormError();
  private savedList: SavedFilter[] = [];

  constructor(private readonly onChange: () => void) {
    this.toggle = h(
      'button',
      { id: 'filter-toggle', type: 'button', class: 'button button-secondary button-small', 'aria-expanded': 'false', on: { click: () => this.setOpen(this.el.hidden) } },
      t('filter.toggle'),
    );
    this.kind = h(
      'select',
      { id: 'filter-kind', name: 'kind', on: { change: () => this.changed() } },
      h('option', { value: '' }, t('filter.anyKind')),
      ...choicesOf('account.kind').map((c) => h('option', { value: c.id }, choiceLabel([c], c.id))),
    );
    for (const name of TEXT_CRITERIA) {
      this.texts.set(name, h('input', { id: `filter-${name}`, name, type: 'text', autocomplete: 'off', placeholder: t(`filter.${name}`), 'aria-label': t(`filter.${name}`), on: { input: () => this.changed() } }));
    }
    this.saved = h('select', { id: 'filter-saved', 'aria-label': t('filter.saved'), on: { change: () => this.apply(this.saved.value) } });
    this.saveName = h('input', { id: 'filter-save-name', type: 'text', autocomplete: 'off', placeholder: t('filter.saveName'), 'aria-label': t('filter.saveName') });
    this.el = h(
      'div',
      { id: 'portfolio-filter', class: 'portfolio-filter', hidden: true },
      this.saved,
      this.kind,
      ...this.texts.values(),
      h(
        'div',
        { class: 'inline-row' },
        this.saveName,
        h('button', { id: 'filter-save', type: 'button', class: 'button button-secondary button-small', on: { click: () => void this.save() } }, t('filter.save')),
      ),
      h(
        'div',
        { class: 'inline-row' },
        h('button', { id: 'filter-clear', type: 'button', class: 'button button-secondary button-small', on: { click: () => this.clear() } }, t('filter.clear')),
        h('button', { id: 'filter-delete', type: 'button', class: 'button button-secondary button-small', on: { click: () => void this.forget() } }, t('filter.delete')),
      ),
      this.error.el,
    );
    void this.loadSaved();
  }

  /** The criteria typed, or null when there is none (the whole portfolio). */
  criteria(): AccountFilter | null {
    const filter: AccountFilter = {};
    if (this.kind.value) filter.kind = this.kind.value;
    for (const [name, input] of this.texts) {
      const value = input.value.trim();
      if (value) filter[name] = value;
    }
    return Object.keys(filter).length > 0 ? filter : null;
  }

  private setOpen(open: boolean): void {
    this.el.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) this.kind.focus();
  }

  private changed(): void {
    this.saved.value = '';
    this.toggle.classList.toggle('active', this.criteria() !== null);
    this.onChange();
  }

  private apply(name: string): void {
    const found = this.savedList.find((s) => s.name === name);
    this.kind.value = found?.filter.kind ?? '';
    for (const [field, input] of this.texts) input.value = found?.filter[field] ?? '';
    this.saved.value = found ? name : '';
    this.saveName.value = found ? name : '';
    this.toggle.classList.toggle('active', this.criteria() !== null);
    this.onChange();
  }

  private clear(): void {
    this.apply('');
  }

  private async loadSaved(): Promise<void> {
    this.render(await api.savedFilters().catch((): SavedFilter[] => []));
  }

  private render(list: SavedFilter[]): void {
    this.savedList = list;
    const current = this.saved.value;
    replaceChildren(
      this.saved,
      h('option', { value: '' }, list.length ? t('filter.saved') : t('filter.noneSaved')),
      ...list.map((s) => h('option', { value: s.name }, s.name)),
    );
    this.saved.value = list.some((s) => s.name === current) ? current : '';
  }

  private async save(): Promise<void> {
    this.error.clear();
    const filter = this.criteria();
    try {
      this.render(await api.saveFilter(this.saveName.value, filter ?? {}));
      this.saved.value = this.saveName.value.trim();
    } catch (reason) {
      this.error.show(messageOf(reason));
    }
  }

  private async forget(): Promise<void> {
    if (!this.saved.value) return;
    this.error.clear();
    try {
      this.render(await api.deleteFilter(this.saved.value));
      this.saved.value = '';
    } catch (reason) {
      this.error.show(messageOf(reason));
    }
  }
}
