//! Results of the instant search. An account, a contact or an activity opens the page of
//! the account it belongs to; a deal, contract or quote opens its own page; a product the
//! catalogue, an event the agenda, a task the task list; a lead and a ticket their own page.

import type { SearchHit } from '../api';
import { recordTypeLabel } from '../format';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { navigate, type Route } from '../router';


/** The screen of a hit that is not shown on its account's page. */
function ownRoute(hit: SearchHit): Route | null {
  switch (hit.type) {
    case 'deal':
      return { name: 'deal', id: hit.id };
    case 'contract':
      return { name: 'contract', id: hit.id };
    case 'quote':
      return { name: 'quote', id: hit.id };
    case 'product':
      return { name: 'catalogue' };
    case 'event':
      return { name: 'agenda' };
    case 'task':
      return { name: 'tasks' };
    case 'lead':
      return { name: 'lead', id: hit.id };
    case 'ticket':
      return { name: 'ticket', id: hit.id };
    default:
      return null;
  }
}

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
    const route = ownRoute(hit);
    const open = () => (route ? navigate(route) : this.onOpenAccount(accountId));
    return h(
      'li',
      {
        class: `search-hit hit-${hit.type}`,
        dataset: { id: hit.id, accountId, type: hit.type },
        tabindex: 0,
        role: 'button',
        on: {
          click: open,
          keydown: (event) => {
            if (event.key === 'Enter') open();
          },
        },
      },
      h(
        'div',
        { class: 'row-main' },
        h('span', { class: `hit-type hit-type-${hit.type}` }, recordTypeLabel(hit.type)),
        h('span', { class: 'account-name' }, hit.label),
      ),
      hit.snippet ? h('div', { class: 'row-snippet' }, hit.snippet) : null,
    );
  }
}
