//! The portfolio: one row per account with its name, kind, city, phone and a marker
//! when some of its fields have concurrent changes to review.

import type { Account } from '../api';
import { h, replaceChildren } from '../dom';
import { accountKindLabel, formatPhone } from '../format';
import { t } from '../i18n';

export class AccountList {
  readonly el: HTMLUListElement;
  private selectedId: string | null = null;

  constructor(private readonly onOpen: (id: string) => void) {
    this.el = h('ul', { id: 'account-list', class: 'record-list', 'aria-label': t('sidebar.title') });
  }

  render(accounts: Account[]): void {
    if (accounts.length === 0) {
      replaceChildren(this.el, h('li', { class: 'list-empty' }, t('sidebar.empty')));
      return;
    }
    replaceChildren(this.el, ...accounts.map((account) => this.row(account)));
  }

  select(id: string | null): void {
    this.selectedId = id;
    for (const row of this.el.querySelectorAll<HTMLElement>('li.account-row')) {
      row.classList.toggle('selected', row.dataset.id === id);
      row.setAttribute('aria-current', String(row.dataset.id === id));
    }
  }

  /** Puts the keyboard on the first row (↓ from the search box). */
  focusFirst(): boolean {
    const first = this.el.querySelector<HTMLElement>('li.account-row');
    first?.focus();
    return first !== null;
  }

  private row(account: Account): HTMLElement {
    const conflicts = conflictCount(account);
    const place = [account.postal_code, account.city].filter(Boolean).join(' ');
    return h(
      'li',
      {
        class: account.id === this.selectedId ? 'account-row selected' : 'account-row',
        dataset: { id: account.id },
        tabindex: 0,
        role: 'button',
        on: {
          click: () => this.onOpen(account.id),
          keydown: (event) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              this.onOpen(account.id);
            } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
              // The arrows walk the list; the first row's ↑ goes back to the search box.
              event.preventDefault();
              const row = event.currentTarget as HTMLElement;
              const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
              if (next instanceof HTMLElement) next.focus();
              else if (event.key === 'ArrowUp') document.getElementById('search-input')?.focus();
            }
          },
        },
      },
      h(
        'div',
        { class: 'row-main' },
        h('span', { class: 'account-name' }, account.name),
        conflicts > 0
          ? h('span', { class: 'conflict-marker', title: t('sidebar.conflictMarker'), 'aria-label': t('sidebar.conflictMarker') }, '⚠ ', String(conflicts))
          : null,
      ),
      h(
        'div',
        { class: 'row-meta' },
        h('span', { class: `kind-tag kind-${account.kind}` }, accountKindLabel(account.kind)),
        place ? h('span', { class: 'account-city' }, place) : null,
        account.phone ? h('span', { class: 'account-phone' }, formatPhone(account.phone)) : null,
      ),
    );
  }
}

/** `conflicts` is an array on records; tolerate a bare count too. */
function conflictCount(account: Account): number {
  const conflicts = (account as { conflicts?: unknown }).conflicts;
  if (Array.isArray(conflicts)) return conflicts.length;
  if (typeof conflicts === 'number') return conflicts;
  return 0;
}
