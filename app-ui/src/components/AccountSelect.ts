//! A <select> of the portfolio's accounts, by name, for the forms that attach a record to
//! an account (deal, quote, event, task).

import type { Account } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';

export interface AccountSelectOptions {
  name?: string;
  /** The label of the empty choice: "— Choisir —" for a required account, "Aucun" otherwise. */
  emptyLabel?: string;
}

/** An empty select; fill it with `setAccounts` once the accounts are loaded. */
export function accountSelect(options: AccountSelectOptions = {}): HTMLSelectElement {
  const select = h('select', { name: options.name ?? 'account' });
  select.dataset.emptyLabel = options.emptyLabel ?? t('form.choose');
  setAccounts(select, []);
  return select;
}

/** Replaces the options, keeping `value` (or the current choice) selected. */
export function setAccounts(select: HTMLSelectElement, accounts: Account[], value: string | null = select.value): void {
  const sorted = [...accounts].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  replaceChildren(
    select,
    h('option', { value: '' }, select.dataset.emptyLabel ?? t('form.choose')),
    ...sorted.map((account) => h('option', { value: account.id }, account.name)),
  );
  select.value = value && sorted.some((account) => account.id === value) ? value : '';
}

/** Account names by id, for lists that show the account of each record. */
export function accountNames(accounts: Account[]): Map<string, string> {
  return new Map(accounts.map((account) => [account.id, account.name]));
}
