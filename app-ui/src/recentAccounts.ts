//! The accounts the user opened last, newest first, for the home page's "Comptes récents".
//! Kept in localStorage (ids and names, at most `RECENT_MAX`), so they survive a restart
//! and need no call to the backend to be shown; forgotten when the user signs out, so the
//! next person on this computer does not see them.

const STORAGE_KEY = 'crm-terrain.recent-accounts';

/** How many accounts the home page lists. */
export const RECENT_MAX = 8;

/** An account as remembered: its id and the name it had when it was opened. */
export interface RecentAccount {
  id: string;
  name: string;
}

/** `list` with `opened` first, its older entry removed, cut to `max` entries. */
export function withOpened(list: readonly RecentAccount[], opened: RecentAccount, max: number = RECENT_MAX): RecentAccount[] {
  return [opened, ...list.filter((entry) => entry.id !== opened.id)].slice(0, max);
}

/** The entries of a stored value that are well formed; anything else is dropped. */
export function parseRecent(stored: string | null): RecentAccount[] {
  if (!stored) return [];
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value
    .filter((entry): entry is RecentAccount =>
      typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && entry.id !== '' && typeof entry.name === 'string')
    .map((entry) => ({ id: entry.id, name: entry.name }))
    .slice(0, RECENT_MAX);
}

/** The remembered accounts, newest first; empty when nothing is stored or storage is off. */
export function recentAccounts(): RecentAccount[] {
  try {
    return parseRecent(localStorage.getItem(STORAGE_KEY));
  } catch {
    return [];
  }
}

/** Called when an account page shows an account: it goes to the top of the list. */
export function rememberAccount(id: string, name: string): void {
  store(withOpened(recentAccounts(), { id, name }));
}

/** Replaces the list (the home page drops accounts no longer on this device). */
export function storeRecentAccounts(list: readonly RecentAccount[]): void {
  store(list.slice(0, RECENT_MAX));
}

/** Forgets every account (on sign-out). */
export function clearRecentAccounts(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage disabled: there was nothing kept.
  }
}

function store(list: readonly RecentAccount[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // Private mode or storage full: the home page then lists no recent account, which is
    // only a shortcut lost.
  }
}
