// Unit tests of recentAccounts.ts: the list of accounts opened last, newest first, without
// duplicates, cut to its size, read back safely from whatever localStorage holds.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearRecentAccounts, parseRecent, recentAccounts, rememberAccount, RECENT_MAX, withOpened } from './recentAccounts';

/** A stand-in for the webview's localStorage. */
function fakeStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the list of accounts opened last', () => {
  it('puts the account just opened first', () => {
    const list = withOpened([{ id: 'a', name: 'A' }], { id: 'b', name: 'B' });
    expect(list.map((entry) => entry.id)).toEqual(['b', 'a']);
  });

  it('lists an account opened again once, at the top, with its new name', () => {
    const list = withOpened(
      [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
      { id: 'b', name: 'B renamed' },
    );
    expect(list).toEqual([
      { id: 'b', name: 'B renamed' },
      { id: 'a', name: 'A' },
    ]);
  });

  it('keeps only the last eight', () => {
    let list = [] as ReturnType<typeof withOpened>;
    for (let i = 1; i <= 12; i++) list = withOpened(list, { id: `acc-${i}`, name: `Compte ${i}` });
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]?.id).toBe('acc-12');
    expect(list.at(-1)?.id).toBe('acc-5');
  });

  it('reads nothing from an empty, damaged or foreign stored value', () => {
    expect(parseRecent(null)).toEqual([]);
    expect(parseRecent('not json')).toEqual([]);
    expect(parseRecent('{"id":"a"}')).toEqual([]);
    expect(parseRecent('[{"id":"a","name":"A"},{"id":3},null,{"id":"","name":"x"},{"id":"b","name":"B","extra":1}]')).toEqual([
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ]);
  });

  it('remembers accounts in localStorage and forgets them on sign-out', () => {
    vi.stubGlobal('localStorage', fakeStorage());
    expect(recentAccounts()).toEqual([]);
    rememberAccount('a', 'Boulangerie Dupont');
    rememberAccount('b', 'Garage du Contrôle');
    expect(recentAccounts().map((entry) => entry.name)).toEqual(['Garage du Contrôle', 'Boulangerie Dupont']);
    clearRecentAccounts();
    expect(recentAccounts()).toEqual([]);
  });

  it('shows nothing, and does not fail, when storage is disabled', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    });
    expect(() => rememberAccount('a', 'A')).not.toThrow();
    expect(recentAccounts()).toEqual([]);
    expect(() => clearRecentAccounts()).not.toThrow();
  });
});
