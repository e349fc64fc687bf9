// Unit tests of filters.ts: the pipeline board's criteria (words, rep, expected close
// dates), how they are read back from the session's storage, and the contact filter.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Contact, Deal } from './api';
import {
  contactMatches,
  dealMatches,
  dealOwners,
  isFiltering,
  loadDealFilter,
  NO_DEAL_FILTER,
  parseDealFilter,
  saveDealFilter,
  type DealFilter,
} from './filters';

function deal(title: string, owner: string | null, expected_close: string | null = null): Pick<Deal, 'title' | 'owner' | 'expected_close'> {
  return { title, owner, expected_close };
}

function filter(criteria: Partial<DealFilter>): DealFilter {
  return { ...NO_DEAL_FILTER, ...criteria };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the pipeline board's criteria", () => {
  it('let every deal through when empty', () => {
    expect(dealMatches(deal('Maintenance', 'u-1'), 'Boulangerie', NO_DEAL_FILTER)).toBe(true);
    expect(isFiltering(NO_DEAL_FILTER)).toBe(false);
  });

  it("find words in the title or the account's name, without case or accents", () => {
    const d = deal('Négociation annuelle', 'u-1');
    expect(dealMatches(d, 'Boulangerie Dupont', filter({ text: 'negociation' }))).toBe(true);
    expect(dealMatches(d, 'Boulangerie Dupont', filter({ text: 'DUPONT' }))).toBe(true);
    expect(dealMatches(d, 'Boulangerie Dupont', filter({ text: 'plomberie' }))).toBe(false);
  });

  it("keep only the chosen rep's deals", () => {
    expect(dealMatches(deal('A', 'u-1'), '', filter({ owner: 'u-1' }))).toBe(true);
    expect(dealMatches(deal('A', 'u-2'), '', filter({ owner: 'u-1' }))).toBe(false);
    expect(dealMatches(deal('A', null), '', filter({ owner: 'u-1' }))).toBe(false);
  });

  it('keep the deals expected to close in the range, both ends included', () => {
    const range = filter({ closeFrom: '2026-03-01', closeTo: '2026-03-31' });
    expect(dealMatches(deal('A', 'u', '2026-03-01'), '', range)).toBe(true);
    expect(dealMatches(deal('A', 'u', '2026-03-31'), '', range)).toBe(true);
    expect(dealMatches(deal('A', 'u', '2026-02-28'), '', range)).toBe(false);
    expect(dealMatches(deal('A', 'u', '2026-04-01'), '', range)).toBe(false);
  });

  it('accept a range open at one end', () => {
    expect(dealMatches(deal('A', 'u', '2030-01-01'), '', filter({ closeFrom: '2026-03-01' }))).toBe(true);
    expect(dealMatches(deal('A', 'u', '2020-01-01'), '', filter({ closeTo: '2026-03-01' }))).toBe(true);
    expect(dealMatches(deal('A', 'u', '2026-03-02'), '', filter({ closeTo: '2026-03-01' }))).toBe(false);
  });

  it('leave out a deal without an expected close date when a range is set', () => {
    expect(dealMatches(deal('A', 'u', null), '', filter({ closeFrom: '2026-03-01' }))).toBe(false);
    expect(dealMatches(deal('A', 'u', null), '', NO_DEAL_FILTER)).toBe(true);
  });

  it('combine: every criterion must match', () => {
    const both = filter({ text: 'maintenance', owner: 'u-1', closeTo: '2026-12-31' });
    expect(dealMatches(deal('Maintenance', 'u-1', '2026-06-01'), '', both)).toBe(true);
    expect(dealMatches(deal('Maintenance', 'u-2', '2026-06-01'), '', both)).toBe(false);
    expect(dealMatches(deal('Installation', 'u-1', '2026-06-01'), '', both)).toBe(false);
    expect(isFiltering(both)).toBe(true);
  });

  it('count blanks typed in the box as no criterion', () => {
    expect(isFiltering(filter({ text: '   ' }))).toBe(false);
  });
});

describe("the rep filter's list", () => {
  const names: Record<string, string> = { me: 'Vous', 'u-b': 'Bruno', 'u-a': 'alice' };

  it('lists each rep who owns a deal once, the user first, then by name', () => {
    const deals = [deal('1', 'u-b'), deal('2', 'me'), deal('3', 'u-a'), deal('4', 'u-b'), deal('5', null)];
    expect(dealOwners(deals, (id) => names[id] ?? id, 'me')).toEqual([
      { id: 'me', name: 'Vous' },
      { id: 'u-a', name: 'alice' },
      { id: 'u-b', name: 'Bruno' },
    ]);
  });

  it('is empty for an empty board', () => {
    expect(dealOwners([], (id) => id, 'me')).toEqual([]);
  });
});

describe('the criteria kept for the session', () => {
  it('read back what was stored', () => {
    const kept = filter({ text: 'maintenance', owner: 'u-1', closeFrom: '2026-03-01', closeTo: '2026-03-31' });
    expect(parseDealFilter(JSON.stringify(kept))).toEqual(kept);
  });

  it('drop what is malformed', () => {
    expect(parseDealFilter(null)).toEqual(NO_DEAL_FILTER);
    expect(parseDealFilter('not json')).toEqual(NO_DEAL_FILTER);
    expect(parseDealFilter('[1, 2]')).toEqual(NO_DEAL_FILTER);
    expect(parseDealFilter(JSON.stringify({ text: 3, closeFrom: '01/03/2026', closeTo: '2026-03-31' }))).toEqual(filter({ closeTo: '2026-03-31' }));
  });

  it("are each user's own", () => {
    const items = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
    });
    saveDealFilter('u-1', filter({ text: 'maintenance' }));
    expect(loadDealFilter('u-1').text).toBe('maintenance');
    expect(loadDealFilter('u-2')).toEqual(NO_DEAL_FILTER);
  });

  it('are none when storage is off', () => {
    vi.stubGlobal('sessionStorage', {
      getItem: () => {
        throw new Error('disabled');
      },
      setItem: () => {
        throw new Error('disabled');
      },
    });
    expect(() => saveDealFilter('u-1', filter({ text: 'x' }))).not.toThrow();
    expect(loadDealFilter('u-1')).toEqual(NO_DEAL_FILTER);
  });
});

describe('the contact filter', () => {
  const jeanne: Pick<Contact, 'name' | 'job_title' | 'email' | 'phone' | 'mobile'> = {
    name: 'Jeanne Dupont',
    job_title: 'Gérante',
    email: 'jeanne.dupont@example.fr',
    phone: '04 78 00 00 01',
    mobile: '06.12.34.56.78',
  };

  it('shows everyone when empty', () => {
    expect(contactMatches(jeanne, '  ')).toBe(true);
  });

  it('finds the name, the job title and the e-mail, without case or accents', () => {
    expect(contactMatches(jeanne, 'dupont')).toBe(true);
    expect(contactMatches(jeanne, 'gerante')).toBe(true);
    expect(contactMatches(jeanne, '@example')).toBe(true);
    expect(contactMatches(jeanne, 'martin')).toBe(false);
  });

  it('finds a phone number typed with or without its separators', () => {
    expect(contactMatches(jeanne, '04 78 00')).toBe(true);
    expect(contactMatches(jeanne, '0612345678')).toBe(true);
    expect(contactMatches(jeanne, '06 12 34')).toBe(true);
    expect(contactMatches(jeanne, '0699')).toBe(false);
  });

  it('does not read digits in other words as a phone number', () => {
    expect(contactMatches(jeanne, 'bureau 0478')).toBe(false);
  });
});
