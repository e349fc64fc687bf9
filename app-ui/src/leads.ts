//! How the lead screens word a lead: its score as a badge (strong, medium, weak), the
//! points of each reason, who follows it (« File marketing » while no rep has it), the
//! text filter of the inbox, and what a conversion made or reused. Pure: the score and
//! its reasons are crm-core's (`LeadView`); this file only shows them.

import type { Converted, LeadView } from './api';
import { t, type MessageKey } from './i18n';

/** The score from which a lead is shown as strong, and as medium. The default rules of
 *  crm-core give at most 80 points: a complete lead from a fair asking for a quote. */
export const STRONG_SCORE = 50;
export const MEDIUM_SCORE = 25;

export type ScoreBand = 'strong' | 'medium' | 'weak';

/** How a score is drawn: a green, amber or grey badge. */
export function scoreBand(score: number): ScoreBand {
  if (score >= STRONG_SCORE) return 'strong';
  if (score >= MEDIUM_SCORE) return 'medium';
  return 'weak';
}

/** The points of a reason as a French reader expects them: "+15", "−5" (a true minus
 *  sign), "0". */
export function formatPoints(points: number): string {
  if (points > 0) return `+${points}`;
  if (points < 0) return `\u2212${Math.abs(points)}`;
  return '0';
}

/** Who follows the lead: the rep's name, or « File marketing » while it waits in
 *  marketing's queue (the core says so: no owner, or the web forms' writer). */
export function leadOwnerLabel(view: Pick<LeadView, 'owner_name' | 'in_queue'>): string {
  const name = view.owner_name?.trim();
  if (view.in_queue || !name) return t('leads.marketingQueue');
  return name;
}

/** Whether the lead holds every word of `query` (name, company, e-mail, phone, postal
 *  code, city, origin, letter case and accents ignored). */
export function leadMatches(view: Pick<LeadView, 'lead'>, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const lead = view.lead;
  const text = fold([lead.name, lead.company, lead.email, lead.phone, lead.postal_code, lead.city, lead.source].filter(Boolean).join(' '));
  const digits = text.replace(/[\s.\-()/]/g, '');
  return words.every((word) => text.includes(word) || (/^[\d\s.+-]+$/.test(word) && digits.includes(word.replace(/[\s.\-()/+]/g, ''))));
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** One line of what a conversion did: the record, its name, and whether it is new. */
export interface ConvertedLine {
  type: 'account' | 'contact' | 'deal';
  id: string;
  name: string;
  label: MessageKey;
}

/** What a conversion made or reused, in the order a rep reads it. */
export function convertedLines(converted: Converted): ConvertedLine[] {
  return [
    { type: 'account', id: converted.account.id, name: converted.account.name, label: converted.account_created ? 'lead.accountCreated' : 'lead.accountReused' },
    { type: 'contact', id: converted.contact.id, name: converted.contact.name, label: converted.contact_created ? 'lead.contactCreated' : 'lead.contactReused' },
    { type: 'deal', id: converted.deal.id, name: converted.deal.title, label: 'lead.dealCreated' },
  ];
}
