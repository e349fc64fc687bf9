//! The small marks of the marketing and support screens: a lead's score as a coloured
//! badge (strong, medium, weak), the status tags of leads, campaigns and tickets, and a
//! ticket's flags (« Hors délai » in red, « En pause » in amber), each with a tooltip.

import { campaignStatusLabel } from '../campaigns';
import { h } from '../dom';
import { fieldValueLabel } from '../format';
import { t } from '../i18n';
import { scoreBand } from '../leads';
import { flagText, ticketFlags, ticketPriorityLabel, ticketStatusLabel } from '../tickets';

/** The score as a badge; `large` on the lead's own page. */
export function scoreBadge(score: number, large = false): HTMLElement {
  const title = t('leads.scoreTitle', { score });
  return h('span', { class: `score-badge score-${scoreBand(score)}${large ? ' score-large' : ''}`, title, 'aria-label': title }, String(score));
}

export function leadStatusTag(status: string | null | undefined): HTMLElement {
  return h('span', { class: `status-tag lead-status lead-${status ?? ''}` }, fieldValueLabel('lead.status', status));
}

export function campaignStatusTag(status: string | null | undefined): HTMLElement {
  return h('span', { class: `status-tag campaign-status campaign-${status ?? ''}` }, campaignStatusLabel(status));
}

export function ticketStatusTag(status: string | null | undefined): HTMLElement {
  return h('span', { class: `status-tag ticket-status ticket-${status ?? ''}` }, ticketStatusLabel(status));
}

export function priorityTag(priority: string | null | undefined): HTMLElement | null {
  if (!priority) return null;
  return h('span', { class: `priority-tag priority-${priority}` }, ticketPriorityLabel(priority));
}

/** « Hors délai » and « En pause », or nothing. */
export function ticketFlagTags(ticket: { breached: boolean; paused: boolean }): HTMLElement[] {
  return ticketFlags(ticket).map((flag) => {
    const { label, title } = flagText(flag);
    return h('span', { class: `flag-tag flag-${flag}`, title }, label);
  });
}
