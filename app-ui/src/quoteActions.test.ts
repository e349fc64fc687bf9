// Unit tests of quoteActions.ts: which status buttons a quote page shows, the main one
// first, which one asks before it is done, and a draft's lines put back in the editor.

import { describe, expect, it } from 'vitest';
import { decimalForInput, isDraftQuote, lineInputsOf, QUOTE_DRAFT, QUOTE_SENT, quoteActions } from './quoteActions';

describe('quote statuses read from the generated vocabulary', () => {
  it('finds the draft and sent statuses where crm-core lists them', () => {
    // Pins the order quoteActions.ts relies on: if crm-core reorders its list, this fails.
    expect(QUOTE_DRAFT).toBe('draft');
    expect(QUOTE_SENT).toBe('sent');
  });

  it('lets only a draft have its lines changed', () => {
    expect(isDraftQuote('draft')).toBe(true);
    for (const status of ['sent', 'accepted', 'refused', '']) expect(isDraftQuote(status)).toBe(false);
  });
});

describe('quoteActions', () => {
  it('offers "send" first and as the main action on a draft', () => {
    const actions = quoteActions('draft');
    expect(actions.map((a) => a.status)).toEqual(['sent', 'accepted', 'refused']);
    expect(actions.filter((a) => a.primary).map((a) => a.status)).toEqual(['sent']);
  });

  it('makes accepting the main action once the quote is sent', () => {
    const actions = quoteActions('sent');
    expect(actions[0]).toEqual({ status: 'accepted', primary: true, confirm: true });
    expect(actions.map((a) => a.status).sort()).toEqual(['accepted', 'draft', 'refused']);
  });

  it('asks before accepting, and only then', () => {
    for (const status of ['draft', 'sent', 'refused']) {
      for (const action of quoteActions(status)) expect(action.confirm).toBe(action.status === 'accepted');
    }
  });

  it('offers nothing on an accepted quote or an unknown status', () => {
    expect(quoteActions('accepted')).toEqual([]);
    expect(quoteActions('lost in transit')).toEqual([]);
  });

  it('has no main action on a refused quote (it can only be reworked or sent again)', () => {
    const actions = quoteActions('refused');
    expect(actions.map((a) => a.status)).toEqual(['draft', 'sent']);
    expect(actions.some((a) => a.primary)).toBe(false);
  });
});

describe('lineInputsOf', () => {
  it('gives back reference, quantity and discount as a French user types them', () => {
    const lines = [
      { reference: 'PHOTO-UI', designation: 'Borne', quantity: '2.500', unit_price: '1250.00', discount_percent: '10.00', vat_percent: '20' },
      { reference: 'SRV-1', designation: 'Service', quantity: '1', unit_price: '89.00', discount_percent: '0', vat_percent: '5.5' },
    ];
    expect(lineInputsOf(lines)).toEqual([
      { reference: 'PHOTO-UI', quantity: '2,5', discount: '10' },
      { reference: 'SRV-1', quantity: '1', discount: '0' },
    ]);
  });

  it('writes no thousands separator, which would not read back as typed', () => {
    expect(decimalForInput('1200.50')).toBe('1200,5');
    expect(decimalForInput('1000000')).toBe('1000000');
  });

  it('keeps a text that is not a plain number as it is', () => {
    expect(decimalForInput(' 3 ')).toBe('3');
    expect(decimalForInput('1e3')).toBe('1e3');
  });
});
