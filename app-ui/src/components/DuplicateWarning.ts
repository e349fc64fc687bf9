//! The box above a form's « Enregistrer » that says the account or contact being typed
//! may already exist: each likely record with its city (account) or company (contact),
//! its likeness as a percentage, why (« même SIRET », « nom proche »), and « Ouvrir la
//! fiche existante ». It looks again 300 ms after the typing stops, offline; saving
//! stays possible.

import { api, type DuplicateCandidate } from '../api';
import { h, replaceChildren } from '../dom';
import { duplicateQuery, reasonsText, scoreText } from '../duplicates';
import { t } from '../i18n';
import { recordRoute, routeToHash } from '../router';

const DEBOUNCE_MS = 300;

export interface DuplicateWarningOptions {
  recordType: 'account' | 'contact';
  /** The form's values now, by field name. */
  values: () => Record<string, string>;
  /** The record being edited (never its own duplicate); null for a new one. */
  self: () => string | null;
}

export class DuplicateWarning {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private timer: number | undefined;
  /** Increases with every look, so a slow answer never replaces a newer one. */
  private generation = 0;

  constructor(private readonly options: DuplicateWarningOptions) {
    this.list = h('ul', { class: 'duplicate-candidates' });
    this.el = h(
      'div',
      { id: `${options.recordType}-duplicates`, class: 'callout duplicate-warning', role: 'status', 'aria-live': 'polite', hidden: true },
      h('p', { class: 'duplicate-title' }, h('strong', {}, t(options.recordType === 'account' ? 'duplicates.warning.account' : 'duplicates.warning.contact'))),
      this.list,
      h('p', { class: 'duplicate-hint' }, t('duplicates.warningHint')),
    );
  }

  /** Looks again whenever one of `inputs` changes. */
  watch(...inputs: HTMLElement[]): void {
    for (const input of inputs) {
      input.addEventListener('input', () => this.schedule());
      input.addEventListener('change', () => this.schedule());
    }
  }

  /** Looks once the typing has stopped for a moment. */
  schedule(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.check(), DEBOUNCE_MS);
  }

  /** Hides the box and forgets any look under way (the form was closed or reset). */
  clear(): void {
    window.clearTimeout(this.timer);
    this.generation++;
    this.show([]);
  }

  private async check(): Promise<void> {
    const generation = ++this.generation;
    const query = duplicateQuery(this.options.recordType, this.options.values());
    if (!query) {
      this.show([]);
      return;
    }
    try {
      const self = this.options.self();
      const found = (await api.findDuplicates(this.options.recordType, query)).filter((candidate) => candidate.id !== self);
      if (generation === this.generation) this.show(found);
    } catch (reason) {
      // Only a hint: a failed look leaves the form as it is.
      console.warn('find_duplicates failed', reason);
    }
  }

  private show(candidates: DuplicateCandidate[]): void {
    this.el.hidden = candidates.length === 0;
    replaceChildren(this.list, ...candidates.map((candidate) => this.item(candidate)));
  }

  private item(candidate: DuplicateCandidate): HTMLElement {
    const route = recordRoute(this.options.recordType, candidate.id);
    return h(
      'li',
      { class: 'duplicate-candidate', dataset: { id: candidate.id } },
      h(
        'div',
        { class: 'duplicate-what' },
        h('span', { class: 'duplicate-name' }, candidate.name),
        candidate.detail ? h('span', { class: 'muted duplicate-detail' }, candidate.detail) : null,
        h('span', { class: 'tag duplicate-score', title: t('duplicates.score') }, scoreText(candidate.score)),
        h('span', { class: 'duplicate-reasons' }, reasonsText(candidate.reasons)),
      ),
      route ? h('a', { class: 'button button-secondary button-small duplicate-open', href: routeToHash(route) }, t('duplicates.open')) : null,
    );
  }
}
