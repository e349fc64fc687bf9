// Unit tests of dealMove.ts: a lost deal is sent with the reason typed, never without one.

import { describe, expect, it } from 'vitest';
import { asksConfirmation, needsLossReason, stageMove } from './dealMove';

describe('stageMove', () => {
  it('sends only the stage for a move that is not a loss', () => {
    expect(stageMove('proposal')).toEqual({ fields: { stage: 'proposal' } });
    expect(stageMove('won', 'ignored')).toEqual({ fields: { stage: 'won' } });
  });

  it('sends a lost deal with its reason, trimmed', () => {
    expect(stageMove('lost', '  Prix trop élevé ')).toEqual({ fields: { stage: 'lost', lost_reason: 'Prix trop élevé' } });
  });

  it('refuses a loss without a reason, spaces alone included', () => {
    expect(stageMove('lost')).toEqual({ missingReason: true });
    expect(stageMove('lost', '   ')).toEqual({ missingReason: true });
  });

  it('asks a reason for the lost stage only', () => {
    expect(needsLossReason('lost')).toBe(true);
    expect(needsLossReason('won')).toBe(false);
    expect(needsLossReason('negotiation')).toBe(false);
  });

  it('asks before winning or losing, never before an ordinary move', () => {
    expect(asksConfirmation('won')).toBe(true);
    expect(asksConfirmation('lost')).toBe(true);
    expect(asksConfirmation('proposal')).toBe(false);
    expect(asksConfirmation('qualification')).toBe(false);
  });
});
