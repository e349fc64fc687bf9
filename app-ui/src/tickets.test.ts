// Unit tests of tickets.ts: the next time a ticket is due, its flags, the statuses it can
// move to and its status history, as the support screens show them; and the reminder of
// a ticket past its service target.

import { afterAll, describe, expect, it, vi } from 'vitest';
import { formatParisDateTime } from './format';
import { CHOICES } from './generated/vocabulary';
import { reminderRoute } from './components/RemindersPanel';
import { flagText, statusHistory, statusTargets, TICKET_OPENED_STATUS, ticketDue, ticketDueText, ticketFlags, ticketStatusLabel } from './tickets';

// This computer's clock is not in France: the service times are still Paris time.
vi.stubEnv('TZ', 'America/New_York');
afterAll(() => vi.unstubAllEnvs());

const clock = {
  first_response_at: null as string | null,
  resolved_at: null as string | null,
  first_response_due: '2026-03-12T13:05:00Z',
  resolution_due: '2026-03-13T16:00:00Z',
  first_response_breached: false,
  resolution_breached: false,
  breached: false,
  paused: false,
};

describe('service times in Paris time', () => {
  it('writes an instant in Paris time whatever the zone of this computer, winter and summer', () => {
    expect(formatParisDateTime('2026-03-12T13:05:00Z')).toBe('12/03/2026 14:05');
    expect(formatParisDateTime('2026-07-01T12:30:00Z')).toBe('01/07/2026 14:30');
  });

  it('keeps text that is not a time as it is', () => {
    expect(formatParisDateTime('bientôt')).toBe('bientôt');
  });
});

describe('the next time a ticket is due', () => {
  it('is the first response while none was given', () => {
    const due = ticketDue(clock);
    expect(due).toEqual({ kind: 'first_response', at: '2026-03-12T13:05:00Z', breached: false });
    expect(ticketDueText(due)).toBe('Réponse avant le 12/03/2026 14:05');
  });

  it('is the resolution once answered, marked when missed', () => {
    const due = ticketDue({ ...clock, first_response_at: '2026-03-12T10:00:00Z', resolution_breached: true });
    expect(due).toEqual({ kind: 'resolution', at: '2026-03-13T16:00:00Z', breached: true });
    expect(ticketDueText(due)).toBe('Résolution avant le 13/03/2026 17:00');
  });

  it('says when a resolved ticket was resolved', () => {
    const due = ticketDue({ ...clock, first_response_at: '2026-03-12T10:00:00Z', resolved_at: '2026-03-12T15:45:00Z' });
    expect(due.kind).toBe('done');
    expect(ticketDueText(due)).toBe('Résolu le 12/03/2026 16:45');
  });

  it('says nothing for a ticket without a clock', () => {
    const due = ticketDue({ ...clock, first_response_due: null, resolution_due: null });
    expect(due.at).toBeNull();
    expect(ticketDueText(due)).toBe('');
  });
});

describe('the flags of the queue', () => {
  it('flags a late ticket « Hors délai » and a ticket waiting for the customer « En pause », late first', () => {
    expect(ticketFlags({ breached: false, paused: false })).toEqual([]);
    expect(ticketFlags({ breached: true, paused: true })).toEqual(['breached', 'paused']);
    expect(flagText('breached').label).toBe('Hors délai');
    expect(flagText('paused').label).toBe('En pause');
    expect(flagText('paused').title).toContain('délai est arrêté');
  });
});

describe('the statuses a ticket can move to', () => {
  const ids = (current: string) => statusTargets(current).map((choice) => choice.id);
  const all = CHOICES['ticket.status']!.map((choice) => choice.id);

  it('offers every status of the core but the current one and the one tickets are opened with', () => {
    for (const current of all) {
      const offered = ids(current);
      expect(offered).not.toContain(current);
      expect(offered).not.toContain(TICKET_OPENED_STATUS);
      expect(offered.length).toBe(all.length - (current === TICKET_OPENED_STATUS ? 1 : 2));
    }
  });

  it("keeps the core's order and words", () => {
    expect(ids(TICKET_OPENED_STATUS)).toEqual(all.filter((id) => id !== TICKET_OPENED_STATUS));
    for (const id of all) expect(ticketStatusLabel(id)).toBe(CHOICES['ticket.status']!.find((c) => c.id === id)!.fr);
  });
});

describe('the status history of a ticket', () => {
  it('reads the moves oldest first, whatever order the set holds them in', () => {
    const [first, second] = all2();
    expect(statusHistory([`2026-03-12T15:00:00Z|${second}`, `2026-03-12T13:05:00Z|${first}`])).toEqual([
      { at: '2026-03-12T13:05:00Z', status: first },
      { at: '2026-03-12T15:00:00Z', status: second },
    ]);
  });

  it('leaves out unreadable moves', () => {
    expect(statusHistory(['n’importe quoi', '|x', 'pas une date|y', ''])).toEqual([]);
    expect(statusHistory(null)).toEqual([]);
  });
});

describe('the reminder of a ticket past its service target', () => {
  it('opens the ticket', () => {
    const reminder = { kind: 'ticket_sla' as const, id: 'tk-1', title: 'Panne', date: '2026-03-12', related_date: null, contract_type: null, account_id: 'a-1', overdue: true };
    expect(reminderRoute(reminder)).toEqual({ name: 'ticket', id: 'tk-1' });
  });
});

/** Two statuses of the core, in its order. */
function all2(): [string, string] {
  const list = CHOICES['ticket.status']!;
  return [list[0]!.id, list[1]!.id];
}
