//! How the campaign screens word a campaign: its segment (`key=value,key=value`, read
//! by crm-core: every criterion must hold, a postal code matches by its start) composed
//! by the builder and told in words, its status, what the preview counts and what a
//! sending reports. Pure: who is in the segment is crm-core's rule, computed by the
//! backend (`campaign_preview`); this file only reads and writes the segment's text.

import type { Campaign, CampaignPreview, CampaignSent } from './api';
import { accountKindLabel, choicesOf, fieldValueLabel } from './format';
import { lang, t, tCount, type MessageKey } from './i18n';

/** One criterion of a segment: the account's `key` is `value`. A part of the text that
 *  is not `key=value` has an empty key (the core refuses it, naming the part). */
export interface Criterion {
  key: string;
  value: string;
}

/** The criteria the builder offers, in its order. The core also reads `owner` (a user
 *  id), which is typed in the segment's text and kept by the builder. */
export const BUILDER_KEYS = ['kind', 'city', 'postal_code', 'tag', 'sector'] as const;
export type BuilderKey = (typeof BUILDER_KEYS)[number];

/** The words of each criterion the core knows. */
const CRITERION_LABELS: Readonly<Record<string, MessageKey>> = {
  kind: 'segment.kind',
  city: 'segment.city',
  postal_code: 'segment.postalCode',
  tag: 'segment.tag',
  sector: 'segment.sector',
  owner: 'segment.owner',
};

/** Reads a segment's text as the core does: parts split on commas, the key before the
 *  first `=` (letter case ignored), the value after, both trimmed; empty parts skipped. */
export function parseSegment(text: string): Criterion[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const equals = part.indexOf('=');
      if (equals < 0) return { key: '', value: part };
      return { key: part.slice(0, equals).trim().toLowerCase(), value: part.slice(equals + 1).trim() };
    });
}

/** Writes criteria as the core reads them (`kind=customer,city=Lyon`); a criterion
 *  without a value is left out. */
export function composeSegment(criteria: readonly Criterion[]): string {
  return criteria
    .filter((criterion) => criterion.value.trim() !== '')
    .map((criterion) => (criterion.key ? `${criterion.key}=${criterion.value.trim()}` : criterion.value.trim()))
    .join(',');
}

/** The text with the criterion on `key` set to `value` (where it was, or at the end),
 *  or removed when `value` is blank; the other criteria are kept as they are. */
export function withCriterion(text: string, key: string, value: string): string {
  const criteria = parseSegment(text);
  const at = criteria.findIndex((criterion) => criterion.key === key);
  const others = criteria.filter((criterion) => criterion.key !== key);
  if (value.trim() !== '') others.splice(at < 0 ? others.length : at, 0, { key, value: value.trim() });
  return composeSegment(others);
}

/** The value of the criterion on `key` in the text, or ''. */
export function criterionValue(text: string, key: string): string {
  return parseSegment(text).find((criterion) => criterion.key === key)?.value ?? '';
}

/** The account kind a segment's value names (the core ignores letter case), or '' when
 *  it names none: the builder's list then shows « Tous les types » and the text keeps it. */
export function kindOf(value: string): string {
  const wanted = value.trim().toLowerCase();
  return choicesOf('account.kind').some((choice) => choice.id === wanted) ? wanted : '';
}

/** Whether a value typed in the builder would be split in two by the core (the comma
 *  separates criteria). */
export function splitsCriterion(value: string): boolean {
  return value.includes(',');
}

/** The segment in words, one item per criterion: « Type de tiers : Client », « Code
 *  postal commençant par 69 »; « Tous les tiers » without criteria. `ownerName` names a
 *  user by their id (the id is shown when it is unknown). */
export function segmentWords(text: string, ownerName: (id: string) => string | null = () => null): string[] {
  const criteria = parseSegment(text);
  if (criteria.length === 0) return [t('segment.everyone')];
  return criteria.map(({ key, value }) => {
    const label = CRITERION_LABELS[key];
    if (!label) return t('segment.unreadable', { part: key ? `${key}=${value}` : value });
    if (key === 'postal_code') return t('segment.postalPrefix', { value });
    const shown = key === 'kind' ? accountKindLabel(kindOf(value) || value) : key === 'owner' ? (ownerName(value) ?? value) : value;
    return t('segment.criterion', { label: t(label), value: shown });
  });
}

// ---------------------------------------------------------------------------------------
// Status, preview and report
// ---------------------------------------------------------------------------------------

/** The status of a campaign sent to every recipient: the last of the core's list, which
 *  gives the statuses in the order a campaign goes through them (draft, sending, sent). */
export const CAMPAIGN_SENT_STATUS: string = choicesOf('campaign.status').at(-1)?.id ?? '';

export function campaignStatusLabel(status: string | null | undefined): string {
  return fieldValueLabel('campaign.status', status);
}

/** Whether the campaign went to everyone it could reach: « Envoyer » is not offered again. */
export function isSent(campaign: Pick<Campaign, 'status'>): boolean {
  return campaign.status === CAMPAIGN_SENT_STATUS;
}

/** Whether an earlier sending reached some recipients only (an e-mail failed): sending
 *  again writes to those not reached yet. */
export function isPartlySent(campaign: Pick<Campaign, 'status' | 'sent_at'>): boolean {
  return !isSent(campaign) && Boolean(campaign.sent_at);
}

/** How many e-mails the campaign sent so far (the server writes the count as text). */
export function sentCount(campaign: Pick<Campaign, 'sent_count'>): number {
  const count = Number.parseInt(campaign.sent_count ?? '', 10);
  return Number.isFinite(count) && count > 0 ? count : 0;
}

/** The campaigns in the order the list shows them: those not sent yet first, by name,
 *  then the others, the last sent first. */
export function sortCampaigns<T extends Pick<Campaign, 'name' | 'sent_at'>>(campaigns: readonly T[]): T[] {
  const collator = new Intl.Collator(lang() === 'fr' ? 'fr' : 'en', { sensitivity: 'base', numeric: true });
  const time = (campaign: T) => (campaign.sent_at ? new Date(campaign.sent_at).getTime() || 0 : null);
  return [...campaigns].sort((a, b) => {
    const ta = time(a);
    const tb = time(b);
    if (ta === null && tb !== null) return -1;
    if (tb === null && ta !== null) return 1;
    if (ta !== null && tb !== null && ta !== tb) return tb - ta;
    return collator.compare(a.name, b.name);
  });
}

/** What the preview counts: « 42 destinataires dans 12 tiers », « 3 exclus sans accord
 *  e-mailing », « 2 sans adresse e-mail ». */
export function previewCounts(preview: Pick<CampaignPreview, 'accounts' | 'recipients' | 'excluded_no_consent' | 'excluded_no_email'>): {
  recipients: string;
  noConsent: string;
  noEmail: string;
} {
  return {
    recipients: tCount('campaign.recipients', preview.recipients.length, { accounts: preview.accounts }),
    noConsent: tCount('campaign.noConsent', preview.excluded_no_consent),
    noEmail: tCount('campaign.noEmail', preview.excluded_no_email),
  };
}

/** What a sending did, one line each, the e-mails sent first; the counts that are zero
 *  are left out, except the e-mails sent. */
export function sendReportLines(report: CampaignSent): string[] {
  const lines = [tCount('campaign.sentReport', report.sent)];
  if (report.failed > 0) lines.push(tCount('campaign.failedReport', report.failed));
  if (report.already > 0) lines.push(tCount('campaign.alreadyReport', report.already));
  if (report.excluded_no_consent > 0) lines.push(tCount('campaign.noConsent', report.excluded_no_consent));
  if (report.excluded_no_email > 0) lines.push(tCount('campaign.noEmail', report.excluded_no_email));
  return lines;
}
