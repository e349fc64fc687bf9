// Unit tests of duplicates.ts: why two records look alike and how alike, in French, what
// a form sends to look for duplicates, and the plan of a merge: which fields differ and
// which values the kept record takes from the other.

import { describe, expect, it, vi } from 'vitest';
import { compareRecords, duplicateQuery, fieldsToTake, reasonsText, reasonText, scoreText, type Side } from './duplicates';

// format.ts reads the sales settings through the api module; none are needed here.
vi.mock('./api', () => ({ api: {} }));

describe('why two records look alike', () => {
  it('says each reason in French', () => {
    expect(reasonText('siret')).toBe('même SIRET');
    expect(reasonText('email')).toBe('même e-mail');
    expect(reasonText('phone')).toBe('même téléphone');
    expect(reasonText('name')).toBe('nom proche');
    expect(reasonsText(['siret', 'name'])).toBe('même SIRET, nom proche');
  });

  it('shows the score as a whole percentage', () => {
    expect(scoreText(1).replace(/\s/g, ' ')).toBe('100 %');
    expect(scoreText(0.915).replace(/\s/g, ' ')).toBe('92 %');
    expect(scoreText(0.8).replace(/\s/g, ' ')).toBe('80 %');
  });
});

describe('what a form sends to look for duplicates', () => {
  it('sends what the core compares, trimmed, and leaves the rest and the empty out', () => {
    expect(duplicateQuery('account', { name: ' Garage Martin ', postal_code: '69003', sector: 'Auto', siret: '', kind: 'customer' })).toEqual({
      name: 'Garage Martin',
      postal_code: '69003',
    });
    expect(duplicateQuery('contact', { name: 'Jeanne', email: 'j@x.fr', job_title: 'Gérante', account: 'acc-1' })).toEqual({
      name: 'Jeanne',
      email: 'j@x.fr',
      account: 'acc-1',
    });
  });

  it('asks nothing until something that tells a duplicate is typed', () => {
    expect(duplicateQuery('account', { name: '  ', city: 'Lyon', postal_code: '69003' })).toBeNull();
    expect(duplicateQuery('contact', { name: '', account: 'acc-1' })).toBeNull();
    expect(duplicateQuery('account', { phone: '04 78 00 00 01' })).toEqual({ phone: '04 78 00 00 01' });
  });
});

describe('the plan of a merge', () => {
  const a = {
    id: 'a',
    type: 'account',
    name: 'Garage Martin',
    kind: 'customer',
    city: 'Lyon',
    phone: '04 78 00 00 01',
    email: null,
    tags: ['garage'],
    owner: 'u-1',
    conflicts: [],
    owner_name: 'Rep UI',
    contacts: [{ id: 'c-1', name: 'Jeanne' }],
    merged: ['old'],
  };
  const b = {
    id: 'b',
    type: 'account',
    name: 'Garage Martin',
    kind: 'prospect',
    city: 'Lyon',
    phone: '',
    email: 'contact@garage.fr',
    tags: ['auto', 'garage'],
    owner: 'u-2',
    owner_name: 'Admin UI',
    contacts: [],
  };

  it('lists the fields that differ, and how, leaving out equal fields and what is not a field', () => {
    expect(compareRecords(a, b)).toEqual([
      { field: 'kind', a: 'customer', b: 'prospect', comparison: 'choice' },
      { field: 'phone', a: '04 78 00 00 01', b: null, comparison: 'one' },
      { field: 'email', a: null, b: 'contact@garage.fr', comparison: 'one' },
      { field: 'tags', a: ['garage'], b: ['auto', 'garage'], comparison: 'joined' },
      { field: 'owner', a: 'u-1', b: 'u-2', comparison: 'choice' },
    ]);
  });

  it('sees the same list in another order as equal', () => {
    expect(compareRecords({ tags: ['x', 'y'] }, { tags: ['y', 'x'] })).toEqual([]);
  });

  it("takes from the other record only the values chosen from it, by default none", () => {
    const differences = compareRecords(a, b);
    expect(fieldsToTake(differences, 'a', new Map())).toEqual([]);
    expect(fieldsToTake(differences, 'a', new Map<string, Side>([['kind', 'b'], ['owner', 'a']]))).toEqual(['kind']);
  });

  it('takes the other way round when the second record is kept', () => {
    const differences = compareRecords(a, b);
    expect(fieldsToTake(differences, 'b', new Map())).toEqual([]);
    expect(fieldsToTake(differences, 'b', new Map<string, Side>([['owner', 'a']]))).toEqual(['owner']);
  });

  it('never takes a field the core fills or joins by itself', () => {
    const differences = compareRecords(a, b);
    expect(fieldsToTake(differences, 'a', new Map<string, Side>([['email', 'b'], ['tags', 'b']]))).toEqual([]);
  });
});
