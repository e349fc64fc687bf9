//! The criteria of the list filters, as pure functions: the pipeline board's (words, rep,
//! expected close dates), kept for the session, and the account page's contact filter.
//! Typing is forgiving: no case, no accents, and phone numbers match with or without
//! their spaces and dots.

import type { Contact, Deal } from './api';

/** Lower case without accents: "negociation" finds "Négociation". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------
// The pipeline board
// ---------------------------------------------------------------------------------------

/** What the board shows; an empty criterion lets every deal through. */
export interface DealFilter {
  /** Words found in the deal's title or its account's name. */
  text: string;
  /** The rep's user id. */
  owner: string;
  /** Expected close dates, YYYY-MM-DD, both included. */
  closeFrom: string;
  closeTo: string;
}

export const NO_DEAL_FILTER: DealFilter = { text: '', owner: '', closeFrom: '', closeTo: '' };

/** Whether some criterion narrows the board. */
export function isFiltering(filter: DealFilter): boolean {
  return Boolean(filter.text.trim() || filter.owner || filter.closeFrom || filter.closeTo);
}

/**
 * Whether the deal passes every criterion. With a date range, a deal without an expected
 * close date is left out: nobody said it would close in that period.
 */
export function dealMatches(deal: Pick<Deal, 'title' | 'owner' | 'expected_close'>, accountName: string, filter: DealFilter): boolean {
  const query = fold(filter.text.trim());
  if (query && !fold(`${deal.title} ${accountName}`).includes(query)) return false;
  if (filter.owner && deal.owner !== filter.owner) return false;
  if (filter.closeFrom || filter.closeTo) {
    const close = deal.expected_close ?? '';
    if (!close) return false;
    if (filter.closeFrom && close < filter.closeFrom) return false;
    if (filter.closeTo && close > filter.closeTo) return false;
  }
  return true;
}

/** A rep of the filter's list: user id and name. */
export interface OwnerChoice {
  id: string;
  name: string;
}

/**
 * The reps who own at least one of `deals`, once each: the signed-in user first (`meId`),
 * then the others by name.
 */
export function dealOwners(deals: readonly Pick<Deal, 'owner'>[], nameOf: (id: string) => string, meId: string | null): OwnerChoice[] {
  const ids = [...new Set(deals.map((deal) => deal.owner).filter((owner): owner is string => Boolean(owner)))];
  const choices = ids.map((id) => ({ id, name: nameOf(id) }));
  return choices.sort((a, b) => Number(b.id === meId) - Number(a.id === meId) || a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }));
}

const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** The filter kept in storage; anything malformed counts as no criterion. */
export function parseDealFilter(stored: string | null): DealFilter {
  if (!stored) return { ...NO_DEAL_FILTER };
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return { ...NO_DEAL_FILTER };
  }
  if (typeof value !== 'object' || value === null) return { ...NO_DEAL_FILTER };
  const record = value as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : '');
  const date = (key: string) => (YMD.test(text(key)) ? text(key) : '');
  return { text: text('text'), owner: text('owner'), closeFrom: date('closeFrom'), closeTo: date('closeTo') };
}

/** Each user keeps their own criteria, for the session (the app's run). */
function storageKey(userId: string | null): string {
  return `crm-terrain.pipeline-filter.${userId ?? ''}`;
}

/** The criteria kept for `userId` this session; none when nothing is kept or storage is off. */
export function loadDealFilter(userId: string | null): DealFilter {
  try {
    return parseDealFilter(sessionStorage.getItem(storageKey(userId)));
  } catch {
    return { ...NO_DEAL_FILTER };
  }
}

export function saveDealFilter(userId: string | null, filter: DealFilter): void {
  try {
    sessionStorage.setItem(storageKey(userId), JSON.stringify(filter));
  } catch {
    // Storage disabled: the criteria last until the board is left, which is only a
    // convenience lost.
  }
}

// ---------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------

/** Digits only: "06 12.34" and "061234" are the same number. */
function digits(text: string): string {
  return text.replace(/\D/g, '');
}

/** Whether the contact's name, job title, e-mail or phone numbers contain `query`. */
export function contactMatches(contact: Pick<Contact, 'name' | 'job_title' | 'email' | 'phone' | 'mobile'>, query: string): boolean {
  const words = fold(query.trim());
  if (!words) return true;
  const text = fold([contact.name, contact.job_title, contact.email, contact.phone, contact.mobile].filter(Boolean).join(' '));
  if (text.includes(words)) return true;
  // A number typed with other separators than those stored (or none).
  const wanted = digits(query);
  if (wanted.length < 2 || wanted.length < query.replace(/[\s.+()-]/g, '').length) return false;
  return [contact.phone, contact.mobile].some((phone) => phone && digits(phone).includes(wanted));
}
