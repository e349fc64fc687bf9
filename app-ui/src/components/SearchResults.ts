//! Results of the instant search: accounts, contacts and activities. Every hit opens the
//! page of the account it belongs to.

import type { SearchHit } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';

const TYPE_KEYS = { account: 'hit.account', contact: 'hit.contact', activity: 'hit.activity' } as const;

export class SearchResults {
  readonly el: HTMLUListElement;

  constructor(private readonly onOpenAccount: (accountId: string) => void) {
    this.el = h('ul', { id: 'search-results', class: 'record-list', hidden: true });
  }

  render(query: string, hits: SearchHit[]): void {
    if (hits.length === 0) {
      replaceChildren(this.el, h('li', { class: 'list-empty' }, t('sidebar.noResults', { query })));
      return;
    }
    replaceChildren(this.el, ...hits.map((hit) => this.row(hit)));
  }

  private row(hit: SearchHit): HTMLElement {
    const accountId = hit.type === 'account' ? hit.id : hit.account_id ?? hit.id;
    return h(
      'li',
      {
        class: `search-hit hit-${hit.type}`,
        dataset: { id: hit.id, accountId, type: hit.type },
        tabindex: 0,
        role: 'button',
        on: {
          click: () => this.onOpenAccount(accountId),
          keydown: (event) => {
            if (event.key === 'Enter') this.onOpenAccount(accountId);
          },
        },
      },
      h(
        'div',
        { class: 'row-main' },
        h('span', { class: `hit-type hit-type-${hit.type}` }, t(TYPE_KEYS[hit.type] ?? 'hit.account')),
        h('span', { class: 'account-name' }, hit.label),
      ),
      hit.snippet ? h('div', { class: 'row-snippet' }, hit.snippet) : null,
    );
  }
}
