//! Duplicates in words, and the plan of a merge: why two records look alike (« même
//! SIRET », « nom proche »), their likeness as a percentage, what a form sends to look
//! for them, and, for two records to merge, which fields differ and which values the
//! kept one takes from the other. Pure: the warning box, the duplicates page and the
//! merge panel draw these; crm-core scores the pairs and does the merge.

import type { Fields } from './api';
import type { Reason } from './generated/Reason';
import { formatPercent } from './format';
import { t, type MessageKey } from './i18n';

/** « même SIRET », « même e-mail », « même téléphone », « nom proche ». */
export function reasonText(reason: Reason): string {
  return t(`duplicates.reason.${reason}` as MessageKey);
}

/** The reasons of a match, one after the other: « même SIRET, nom proche ». */
export function reasonsText(reasons: readonly Reason[]): string {
  return reasons.map(reasonText).join(', ');
}

/** A score of 0..1 as a whole percentage: 0.915 → « 92 % ». */
export function scoreText(score: number): string {
  return formatPercent(Math.round(score * 100));
}

/** The fields of a form that tell a duplicate: what crm-core compares (SIRET, e-mail,
 *  phones, the name within a postal code for an account or a company for a contact). */
const LOOKED_AT: Record<'account' | 'contact', readonly string[]> = {
  account: ['name', 'siret', 'email', 'phone', 'postal_code', 'city'],
  contact: ['name', 'email', 'phone', 'mobile', 'account'],
};

/** The fields to send to `find_duplicates`: those the core compares, trimmed, empty
 *  ones left out; null when nothing was typed that could tell a duplicate. */
export function duplicateQuery(type: 'account' | 'contact', values: Readonly<Record<string, string>>): Fields | null {
  const fields: Fields = {};
  for (const name of LOOKED_AT[type]) {
    const value = values[name]?.trim();
    if (value) fields[name] = value;
  }
  // The account (of a contact) or the city alone tell nothing.
  const telling = Object.keys(fields).some((name) => name !== 'account' && name !== 'city' && name !== 'postal_code');
  return telling ? fields : null;
}

// ---------------------------------------------------------------------------------------
// Merging two records
// ---------------------------------------------------------------------------------------

/** The two records of a merge: `a` and `b`. */
export type Side = 'a' | 'b';

export type FieldValue = string | string[];

/** How a field compares between the two records, and what a merge does with it. */
export type Comparison =
  /** Both hold a value, not the same: the user chooses. */
  | 'choice'
  /** Only one holds a value: the kept record has it after the merge. */
  | 'one'
  /** A list on both sides (tags): joined. */
  | 'joined';

export interface FieldDifference {
  field: string;
  a: FieldValue | null;
  b: FieldValue | null;
  comparison: Comparison;
}

/** What a record's view carries that is not one of its fields, and the fields a merge
 *  sets itself: never compared, never taken. */
const NOT_COMPARED = new Set([
  'id',
  'type',
  'conflicts',
  'merged',
  'merged_into',
  'deleted',
  'owner_name',
  'parent_name',
  'distributor_name',
  'account_name',
]);

/** A field's value as the comparison reads it: text, a list of texts, or null (empty). */
function valueOf(record: Readonly<Record<string, unknown>>, field: string): FieldValue | null {
  const value = record[field];
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.length === 0 ? null : (value as string[]);
  return null;
}

function same(x: FieldValue, y: FieldValue): boolean {
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && [...x].sort().join('\u0000') === [...y].sort().join('\u0000');
  return x === y;
}

/**
 * The fields in which two records differ, in the order of `a`'s fields then `b`'s own:
 * the record's text and list fields only (a view's lists of contacts, its timeline and
 * its names are not fields). Equal and doubly empty fields are left out.
 */
export function compareRecords(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): FieldDifference[] {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => !NOT_COMPARED.has(field));
  const differences: FieldDifference[] = [];
  for (const field of fields) {
    const x = valueOf(a, field);
    const y = valueOf(b, field);
    if (x === null && y === null) continue;
    if (x !== null && y !== null && same(x, y)) continue;
    const comparison: Comparison = x === null || y === null ? 'one' : Array.isArray(x) || Array.isArray(y) ? 'joined' : 'choice';
    differences.push({ field, a: x, b: y, comparison });
  }
  return differences;
}

/**
 * The fields whose value the kept record takes from the other (`merge_records`'s
 * `take`): those of choice where the user picked the other's value. A field not in
 * `chosen` keeps the kept record's value; empty fields and lists need no choice (the
 * core fills and joins them).
 */
export function fieldsToTake(differences: readonly FieldDifference[], kept: Side, chosen: ReadonlyMap<string, Side>): string[] {
  return differences
    .filter((difference) => difference.comparison === 'choice' && (chosen.get(difference.field) ?? kept) !== kept)
    .map((difference) => difference.field);
}
