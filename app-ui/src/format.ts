//! Dates in and out of the UI: display in the user's locale (fr-FR by default), and the
//! conversions between HTML inputs and the formats the backend expects (RFC 3339 with a
//! time-zone offset for instants, YYYY-MM-DD for calendar dates).

import { locale, tMaybe } from './i18n';

/** "12/03/2025 14:05" for an RFC 3339 instant; the raw text if it does not parse. */
export function formatDateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(date);
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

/** The label of an account kind ("customer" → "Client"); unknown kinds are shown raw. */
export function accountKindLabel(kind: string | null | undefined): string {
  if (!kind) return '';
  return tMaybe(`account.kind.${kind}`, kind);
}

/** The label of an activity kind ("visit" → "Compte rendu de visite"). */
export function activityKindLabel(kind: string | null | undefined): string {
  if (!kind) return '';
  return tMaybe(`activity.kind.${kind}`, kind);
}

/** The label of a record field, for conflicts and read-only views. */
export function fieldLabel(field: string): string {
  return tMaybe(`field.${field}`, field);
}
