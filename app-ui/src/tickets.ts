//! How the support screens word a ticket: the time it is due next (the first response
//! while none was given, then the resolution), its flags (« Hors délai », « En pause »),
//! the statuses it can be moved to, and its status history. Pure: the service clock is
//! crm-core's (`TicketView`, computed on the device); this file only shows it. Times are
//! written in Paris time: the service targets count French business hours.

import type { TicketView } from './api';
import { choiceLabel, choicesOf, formatParisDateTime } from './format';
import type { Choice } from './generated/vocabulary';
import { t } from './i18n';

/** The status every ticket is opened with; a ticket is never moved back to it. */
export const TICKET_OPENED_STATUS = 'new';

type Clock = Pick<
  TicketView,
  'first_response_at' | 'resolved_at' | 'first_response_due' | 'resolution_due' | 'first_response_breached' | 'resolution_breached' | 'breached' | 'paused'
>;

/** The time that matters now: `first_response` and `resolution` are due times, `done`
 *  is when it was done; `at` is null for a ticket without a clock. */
export interface TicketDue {
  kind: 'first_response' | 'resolution' | 'done';
  at: string | null;
  breached: boolean;
}

/** The next time due: the first response while none was given, the resolution after;
 *  for a resolved or closed ticket, when it was resolved. */
export function ticketDue(ticket: Clock): TicketDue {
  if (ticket.resolved_at) return { kind: 'done', at: ticket.resolved_at, breached: ticket.resolution_breached };
  if (!ticket.first_response_at) {
    return { kind: 'first_response', at: ticket.first_response_due ?? null, breached: ticket.first_response_breached };
  }
  return { kind: 'resolution', at: ticket.resolution_due ?? null, breached: ticket.resolution_breached };
}

/** The due time in words: « Réponse avant le 12/03/2026 14:05 »; empty without a clock. */
export function ticketDueText(due: TicketDue): string {
  if (!due.at) return '';
  const date = formatParisDateTime(due.at);
  switch (due.kind) {
    case 'first_response':
      return t('tickets.dueFirst', { date });
    case 'resolution':
      return t('tickets.dueResolution', { date });
    case 'done':
      return t('tickets.resolvedOn', { date });
  }
}

export type TicketFlag = 'breached' | 'paused';

/** The flags the queue shows, the missed target first. */
export function ticketFlags(ticket: Pick<Clock, 'breached' | 'paused'>): TicketFlag[] {
  const flags: TicketFlag[] = [];
  if (ticket.breached) flags.push('breached');
  if (ticket.paused) flags.push('paused');
  return flags;
}

/** The words of a flag, and its tooltip. */
export function flagText(flag: TicketFlag): { label: string; title: string } {
  return flag === 'breached'
    ? { label: t('tickets.breached'), title: t('tickets.breachedTitle') }
    : { label: t('tickets.paused'), title: t('tickets.pausedTitle') };
}

/** The statuses a ticket at `current` can be moved to, in the core's order: every one
 *  but the one it is at and the one tickets are opened with. */
export function statusTargets(current: string | null | undefined): Choice[] {
  return choicesOf('ticket.status').filter((choice) => choice.id !== current && choice.id !== TICKET_OPENED_STATUS);
}

export function ticketStatusLabel(status: string | null | undefined): string {
  return choiceLabel(choicesOf('ticket.status'), status);
}

export function ticketPriorityLabel(priority: string | null | undefined): string {
  return choiceLabel(choicesOf('ticket.priority'), priority);
}

export function ticketChannelLabel(channel: string | null | undefined): string {
  return choiceLabel(choicesOf('ticket.channel'), channel);
}

/** A ticket's status history ("<RFC 3339>|<status>" items, a set without order), oldest
 *  first; unreadable items are left out. */
export function statusHistory(items: readonly string[] | null | undefined): Array<{ at: string; status: string }> {
  return (items ?? [])
    .map((item) => {
      const bar = item.indexOf('|');
      return bar > 0 ? { at: item.slice(0, bar).trim(), status: item.slice(bar + 1).trim() } : null;
    })
    .filter((entry): entry is { at: string; status: string } => entry !== null && entry.status !== '' && !Number.isNaN(new Date(entry.at).getTime()))
    .sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}
