//! Dates in and out of the UI: display in the user's locale (fr-FR by default), and the
//! conversions between HTML inputs and the formats the backend expects (RFC 3339 with a
//! time-zone offset for instants, YYYY-MM-DD for calendar dates); amounts; and the words
//! of record types, fields and their values.

import { CHOICES, RECORD_TYPES, REMINDER_KINDS, ROLES, SETTINGS_LABELS_EN, type Choice } from './generated/vocabulary';
import { lang, locale, t, tCount, tMaybe } from './i18n';
import { salesSettings, settingsStageLabel } from './stages';

/** A French number stored in E.164 ("+33478000000") as the French write it
 * ("04 78 00 00 00"); any other number as stored. */
export function formatPhone(phone: string): string {
  const french = /^\+33(\d{9})$/.exec(phone.replace(/\s/g, ''));
  if (!french) return phone;
  return `0${french[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ');
}

/** "12/03/2025 14:05" for an RFC 3339 instant; the raw text if it does not parse. */
export function formatDateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(date);
}

/** The zone of the service targets (French business hours): the due times of a ticket
 *  are shown in it, whatever this computer's zone. */
export const SERVICE_TIME_ZONE = 'Europe/Paris';

/** "12/03/2026 14:05" in Paris time for an RFC 3339 instant; the raw text if it does not
 *  parse. */
export function formatParisDateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: SERVICE_TIME_ZONE }).format(date);
}

/** "mercredi 12 mars 2025 à 14:05": the long form, used in tooltips and the timeline. */
export function formatDateTimeLong(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(locale(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/**
 * "12/03/2025" for a calendar date "2025-03-12". Parsed by hand: `new Date("2025-03-12")`
 * means midnight UTC, which is the day before in the Americas.
 */
export function formatCalendarDate(ymd: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) return ymd;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short' }).format(date);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The current local time as a `datetime-local` input value ("2025-03-12T14:05"). */
export function nowForDateTimeInput(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

/**
 * A `datetime-local` value ("2025-03-12T14:05", local time) as RFC 3339 with the local
 * offset ("2025-03-12T14:05:00+01:00"). Returns null if the value does not parse.
 */
export function dateTimeInputToRfc3339(value: string): string | null {
  const date = new Date(value);
  if (!value || Number.isNaN(date.getTime())) return null;
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The words of `id` in a list generated from crm-core, in the user's language; an id
 * the list does not know is shown as it is. */
export function choiceLabel(list: readonly Choice[] | undefined, id: string | null | undefined): string {
  if (!id) return '';
  const choice = list?.find((c) => c.id === id);
  if (!choice) return id;
  return lang() === 'fr' ? choice.fr : choice.en;
}

/** The values a field may take (`type.field`, e.g. `contract.status`), from crm-core. */
export function choicesOf(key: string): readonly Choice[] {
  return CHOICES[key] ?? [];
}

/** The label of a field's value, e.g. `fieldValueLabel('contract.status', 'active')`. */
export function fieldValueLabel(key: string, id: string | null | undefined): string {
  return choiceLabel(CHOICES[key], id);
}

/** The label of an account kind ("customer" → "Client"); unknown kinds are shown raw. */
export function accountKindLabel(kind: string | null | undefined): string {
  return fieldValueLabel('account.kind', kind);
}

/** The label of an activity kind ("visit" → "Compte rendu de visite"). */
export function activityKindLabel(kind: string | null | undefined): string {
  return fieldValueLabel('activity.kind', kind);
}

/** What a record type is called ("deal" → "Affaire"). */
export function recordTypeLabel(type: string | null | undefined): string {
  return choiceLabel(RECORD_TYPES, type);
}

/** A role's name ("manager" → "Responsable commercial"). */
export function roleLabel(role: string | null | undefined): string {
  return choiceLabel(ROLES, role);
}

/** The label of a record field, for conflicts and read-only views. A record type picks
 * the words that type uses when they differ (a contact's `name` is « Nom », an
 * account's « Raison sociale »). */
export function fieldLabel(field: string, type?: string | null): string {
  const own = type ? tMaybe(`field.${type}.${field}`, '') : '';
  return own || tMaybe(`field.${field}`, field);
}

// ---------------------------------------------------------------------------------------
// Calendar arithmetic for the agenda (local time)
// ---------------------------------------------------------------------------------------

/** A local date as "2025-03-12". */
export function toYmd(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Today as "2025-03-12", in local time. */
export function todayYmd(): string {
  return toYmd(new Date());
}

/** "2025-03-12" as a local Date at midnight, or null. */
export function parseYmd(ymd: string | null | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd ?? '');
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** The date `days` days after `date` (calendar days, safe across daylight saving). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** The Monday of the week holding `date`, at midnight. */
export function mondayOf(date: Date): Date {
  return addDays(date, -((date.getDay() + 6) % 7));
}

/** "14:05" for a Date, in the user's locale. */
export function formatTime(date: Date): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** "12 mars 2025" for a calendar date "2025-03-12". */
export function formatCalendarDateLong(ymd: string): string {
  const date = parseYmd(ymd);
  if (!date) return ymd;
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

// ---------------------------------------------------------------------------------------
// Amounts: decimal strings from the backend ("1200.50"), formatted for display only
// ---------------------------------------------------------------------------------------

/** "1 200,50" or "1200.50 €" (as a user may have typed it) → "1200.50"; null if not a number. */
function normaliseDecimal(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const cleaned = String(text).trim().replace(/€$/, '').replace(/\s/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? cleaned : null;
}

/**
 * "1200.50" → "1 200,50 €". The decimal string is handed to Intl as a string, which
 * formats it exactly (no float in between); unreadable text is shown as it is.
 */
export function formatMoney(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const decimal = normaliseDecimal(amount);
  if (decimal === null) return String(amount);
  const format = new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR' });
  return format.format(decimal as unknown as number);
}

/** "5.5" → "5,5 %". */
export function formatPercent(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const decimal = normaliseDecimal(String(value));
  if (decimal === null) return String(value);
  const format = new Intl.NumberFormat(locale(), { maximumFractionDigits: 6 });
  return `${format.format(decimal as unknown as number)}\u00a0%`;
}

/** "2.500" → "2,5": a quantity for display. */
export function formatQuantity(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const decimal = normaliseDecimal(String(value));
  if (decimal === null) return String(value);
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 6 }).format(decimal as unknown as number);
}

/** An amount in cents as a BigInt, exact; null if it is not an amount with at most 2 decimals. */
function toCents(amount: string | null | undefined): bigint | null {
  const decimal = normaliseDecimal(amount);
  if (decimal === null) return null;
  const negative = decimal.startsWith('-');
  const [units = '0', fraction = ''] = decimal.replace('-', '').split('.');
  if (fraction.length > 2) return null;
  const cents = BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0') || '0');
  return negative ? -cents : cents;
}

/**
 * The sum of amounts as a decimal string ("3600.75"), in exact integer cents: for the
 * column totals of the pipeline, which are display only. Unreadable amounts are skipped.
 */
export function sumAmounts(amounts: ReadonlyArray<string | null | undefined>): string {
  let cents = 0n;
  for (const amount of amounts) cents += toCents(amount) ?? 0n;
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------
// Labels of the sales and planning values
// ---------------------------------------------------------------------------------------

/**
 * A label configured in the company's sales settings (French) or, in English, the
 * translation of a default id; an unknown id is shown as it is.
 */
function settingLabel(id: string, configured: string | undefined): string {
  if (lang() === 'fr' && configured) return configured;
  return (lang() === 'en' ? SETTINGS_LABELS_EN[id] : undefined) ?? configured ?? id;
}

/** "proposal" → "Proposition"; `fallback` is the backend's label (`deal_view`). */
export function stageLabel(stage: string | null | undefined, fallback?: string): string {
  if (!stage) return '';
  return settingLabel(stage, settingsStageLabel(stage) ?? fallback);
}

export function dealTypeLabel(dealType: string | null | undefined): string {
  if (!dealType) return '';
  const configured = salesSettings().deal_types.find((type) => type.id === dealType)?.label;
  return settingLabel(dealType, configured);
}

export function priorityLabel(priority: string | null | undefined): string {
  return fieldValueLabel('deal.priority', priority);
}

export function contractTypeLabel(type: string | null | undefined): string {
  if (!type) return '';
  const configured = salesSettings().contract_types.find((contract) => contract.id === type)?.label;
  return settingLabel(type, configured);
}

export function contractStatusLabel(status: string | null | undefined): string {
  return fieldValueLabel('contract.status', status);
}

export function billingPeriodLabel(period: string | null | undefined): string {
  return fieldValueLabel('contract.billing_period', period);
}

/** "monthly" → "mois", as in "380,00 € / mois". */
export function billingUnitLabel(period: string | null | undefined): string {
  if (!period) return '';
  return tMaybe(`billingUnit.${period}`, period);
}

export function quoteStatusLabel(status: string | null | undefined): string {
  return fieldValueLabel('quote.status', status);
}

export function reminderKindLabel(kind: string | null | undefined): string {
  return choiceLabel(REMINDER_KINDS, kind);
}

// ---------------------------------------------------------------------------------------
// A field's value in words: history, conflicts, refused changes
// ---------------------------------------------------------------------------------------

/** The name of the record or person a field's id points to (`account`, `owner`…), or
 * null when the field holds no id. */
export type NameOf = (field: string, id: string) => string | null;

export interface ValueTextOptions {
  /** The record's type: the values of its fixed lists (`account.kind`…) get their words. */
  type?: string | null;
  /** Names the ids of linked records and people. */
  nameOf?: NameOf;
}

/** Fields whose stored ids have a label in the company's settings or a fixed list. */
const VALUE_LABELS: Record<string, (value: string) => string> = {
  stage: (value) => stageLabel(value),
  deal_type: dealTypeLabel,
  priority: priorityLabel,
  contract_type: contractTypeLabel,
  billing_period: billingPeriodLabel,
};

const MONEY_FIELDS = new Set(['amount', 'price', 'billing_amount', 'budget']);
const PERCENT_FIELDS = new Set(['discount_percent', 'vat_percent', 'probability']);
const MONTH_FIELDS = new Set(['term_months', 'notice_months']);

/**
 * A field's value as a French user reads it: labels instead of ids (`customer` →
 * « Client »), names instead of record ids (through `nameOf`), dates, amounts and
 * percentages in the user's format, quote lines and negotiated prices spelled out.
 * An empty value is « (vide) »; `null` (a cleared field) is the empty string.
 */
export function fieldValueText(field: string, value: string | readonly string[] | null | undefined, options: ValueTextOptions = {}): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return t('conflicts.emptyValue');
    if (field === 'media') return t('catalogue.mediaCount', { count: value.length });
    if (field === 'stage_history') return value.map(stageMoveText).join(', ');
    if (field === 'status_history') return value.map((item) => statusMoveText(item, options.type)).join(', ');
    return value.map((item) => oneValueText(field, item, options)).join(', ');
  }
  return oneValueText(field, value as string, options);
}

function oneValueText(field: string, value: string, options: ValueTextOptions): string {
  if (value.trim() === '') return t('conflicts.emptyValue');
  const name = options.nameOf?.(field, value);
  if (name) return name;
  const list = options.type ? CHOICES[`${options.type}.${field}`] : undefined;
  if (list?.some((choice) => choice.id === value)) return choiceLabel(list, value);
  if (value === 'yes') return t('common.yes');
  if (value === 'no') return t('common.no');
  const label = VALUE_LABELS[field];
  if (label) return label(value);
  if (MONEY_FIELDS.has(field)) return formatMoney(value);
  if (PERCENT_FIELDS.has(field)) return formatPercent(value);
  if (MONTH_FIELDS.has(field) && /^\d+$/.test(value)) return tCount('common.months', Number(value));
  if (field === 'lines') return quoteLinesText(value) ?? value;
  if (field === 'price_list') return priceListText(value) ?? value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatCalendarDate(value);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDateTime(value);
  return value;
}

/** "2026-03-12T10:00:00Z proposal <user id>" → "12/03/2026 11:00 Proposition". */
function stageMoveText(item: string): string {
  const [at = '', stage = ''] = item.trim().split(/\s+/);
  return stage ? `${formatDateTime(at)} ${stageLabel(stage)}` : item;
}

/** "2026-03-12T13:05:00Z|open" (a ticket's move) → "12/03/2026 14:05 En cours". */
function statusMoveText(item: string, type: string | null | undefined): string {
  const [at = '', status = ''] = item.split('|');
  if (!status) return item;
  return `${formatParisDateTime(at.trim())} ${choiceLabel(CHOICES[`${type ?? 'ticket'}.status`], status.trim())}`;
}

/** The stored JSON of quote lines as "2 × Borne de garde (GARDE-01)"; null if unreadable. */
function quoteLinesText(json: string): string | null {
  try {
    const lines: unknown = JSON.parse(json);
    if (!Array.isArray(lines)) return null;
    return lines
      .map((line: { reference?: string; designation?: string; quantity?: string }) => {
        const what = line.designation ? `${line.designation}${line.reference ? ` (${line.reference})` : ''}` : (line.reference ?? '');
        return `${formatQuantity(line.quantity ?? '')} × ${what}`;
      })
      .join(', ');
  } catch {
    return null;
  }
}

/** Negotiated prices `{"GARDE-01": "1100.00"}` as "GARDE-01 : 1 100,00 €"; null if unreadable. */
function priceListText(json: string): string | null {
  try {
    const prices: unknown = JSON.parse(json);
    if (typeof prices !== 'object' || prices === null || Array.isArray(prices)) return null;
    const entries = Object.entries(prices as Record<string, string>);
    if (entries.length === 0) return t('conflicts.emptyValue');
    return entries.map(([reference, price]) => t('history.set', { field: reference, value: formatMoney(String(price)) })).join(', ');
  } catch {
    return null;
  }
}
