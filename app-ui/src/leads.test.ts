// Unit tests of leads.ts: how a lead's score, its reasons, its follower and a conversion
// are worded on the marketing screens.

import { describe, expect, it } from 'vitest';
import type { Converted, LeadView } from './api';
import { convertedLines, formatPoints, leadMatches, leadOwnerLabel, MEDIUM_SCORE, scoreBand, STRONG_SCORE } from './leads';

function view(fields: Partial<LeadView['lead']>): LeadView {
  return {
    lead: { id: 'l-1', type: 'lead', name: 'Claire Martin', status: 'new', ...fields },
    score: { score: 0, reasons: [] },
    owner_name: null,
    in_queue: false,
  };
}

describe('the score badge', () => {
  it('draws a complete lead from a fair asking for a quote as strong, a bare address as weak', () => {
    expect(scoreBand(75)).toBe('strong');
    expect(scoreBand(STRONG_SCORE)).toBe('strong');
    expect(scoreBand(STRONG_SCORE - 1)).toBe('medium');
    expect(scoreBand(MEDIUM_SCORE)).toBe('medium');
    expect(scoreBand(MEDIUM_SCORE - 1)).toBe('weak');
    expect(scoreBand(5)).toBe('weak');
  });

  it('draws a negative score as weak', () => {
    expect(scoreBand(-5)).toBe('weak');
  });
});

describe('the points of a reason', () => {
  it('signs gains with a plus and losses with a true minus sign', () => {
    expect(formatPoints(15)).toBe('+15');
    expect(formatPoints(-5)).toBe('\u22125');
    expect(formatPoints(0)).toBe('0');
  });
});

describe('who follows a lead', () => {
  it('names the rep it was handed to', () => {
    expect(leadOwnerLabel({ owner_name: 'Rep UI', in_queue: false })).toBe('Rep UI');
  });

  it('says « File marketing » while the lead waits in the queue: no owner, or the web forms', () => {
    expect(leadOwnerLabel({ owner_name: 'Formulaires web', in_queue: true })).toBe('File marketing');
    for (const owner of [null, '', '  ']) {
      expect(leadOwnerLabel({ owner_name: owner, in_queue: false })).toBe('File marketing');
    }
  });
});

describe('the text filter of the inbox', () => {
  const lead = view({ name: 'Claire Martin', company: 'Boulangerie Émile', email: 'c.martin@example.fr', phone: '+33478000000', city: 'Lyon', source: 'salon' });

  it('keeps every lead for an empty filter', () => {
    expect(leadMatches(lead, '')).toBe(true);
    expect(leadMatches(lead, '   ')).toBe(true);
  });

  it('finds a lead by any word of its name, company, e-mail, city or origin, case and accents ignored', () => {
    expect(leadMatches(lead, 'martin')).toBe(true);
    expect(leadMatches(lead, 'emile LYON')).toBe(true);
    expect(leadMatches(lead, 'SALON')).toBe(true);
    expect(leadMatches(lead, 'example.fr')).toBe(true);
  });

  it('needs every word', () => {
    expect(leadMatches(lead, 'martin paris')).toBe(false);
  });

  it('finds a lead by its phone number typed with spaces', () => {
    expect(leadMatches(lead, '478 00')).toBe(true);
    expect(leadMatches(lead, '33478000000')).toBe(true);
  });
});

describe('what a conversion made', () => {
  const converted = (accountCreated: boolean, contactCreated: boolean): Converted => ({
    lead: view({}).lead,
    account: { id: 'a-1', type: 'account', name: 'Boulangerie Émile', kind: 'prospect' },
    account_created: accountCreated,
    contact: { id: 'c-1', type: 'contact', account: 'a-1', name: 'Claire Martin' },
    contact_created: contactCreated,
    deal: { id: 'd-1', type: 'deal', account: 'a-1', title: 'Boulangerie Émile — Claire Martin' } as Converted['deal'],
  });

  it('lists the account, the contact and the deal, by name, each said created', () => {
    expect(convertedLines(converted(true, true))).toEqual([
      { type: 'account', id: 'a-1', name: 'Boulangerie Émile', label: 'lead.accountCreated' },
      { type: 'contact', id: 'c-1', name: 'Claire Martin', label: 'lead.contactCreated' },
      { type: 'deal', id: 'd-1', name: 'Boulangerie Émile — Claire Martin', label: 'lead.dealCreated' },
    ]);
  });

  it('says when an existing account and contact were reused', () => {
    const lines = convertedLines(converted(false, false));
    expect(lines.map((line) => line.label)).toEqual(['lead.accountReused', 'lead.contactReused', 'lead.dealCreated']);
  });
});
