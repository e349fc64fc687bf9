//! The arithmetic of the appointment form, pure: an event as the form shows it (times in
//! local time, as `datetime-local` values), what creating one sends (what was typed),
//! what an edit sends (only what changed, an emptied field as null), and the end that
//! keeps the duration when the start moves, as calendars do.

import type { CalendarEvent, Fields } from './api';
import { dateTimeInputToRfc3339, nowForDateTimeInput } from './format';

/** The form's fields as text, times as `datetime-local` values ("2026-03-12T14:05"). */
export interface EventValues {
  title: string;
  start: string;
  end: string;
  account: string;
  place: string;
  notes: string;
}

const HOUR_MS = 60 * 60 * 1000;

/** An RFC 3339 time as a `datetime-local` value in this computer's time; '' when unreadable. */
export function toDateTimeInput(rfc3339: string | null | undefined): string {
  if (!rfc3339) return '';
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? '' : nowForDateTimeInput(date);
}

/** An event as the form shows it. */
export function eventValues(event: CalendarEvent): EventValues {
  return {
    title: event.title ?? '',
    start: toDateTimeInput(event.start),
    end: toDateTimeInput(event.end),
    account: event.account ?? '',
    place: event.place ?? '',
    notes: event.notes ?? '',
  };
}

/** A field's value as sent: trimmed, times as RFC 3339 with this computer's offset (an
 *  unreadable time is sent as typed: the backend says what is wrong with it); null when empty. */
function sent(name: keyof EventValues, value: string): string | null {
  const text = value.trim();
  if (text === '') return null;
  if (name === 'start' || name === 'end') return dateTimeInputToRfc3339(text) ?? text;
  return text;
}

/** The fields creating an event sends: only those filled in. */
export function newEventFields(values: EventValues): Fields {
  const fields: Fields = {};
  for (const name of Object.keys(values) as Array<keyof EventValues>) {
    const value = sent(name, values[name]);
    if (value !== null) fields[name] = value;
  }
  return fields;
}

/**
 * The fields an edit sends: only those that differ from `before` (the form as it was
 * opened), so an untouched field never competes with a change made on another device;
 * an emptied field is sent as null, which clears it.
 */
export function changedEventFields(before: EventValues, now: EventValues): Fields {
  const fields: Fields = {};
  for (const name of Object.keys(now) as Array<keyof EventValues>) {
    if (before[name].trim() === now[name].trim()) continue;
    fields[name] = sent(name, now[name]);
  }
  return fields;
}

/**
 * The end once the start moved from `previousStart` to `start`: the same duration as
 * before, so moving an appointment moves its end with it. One hour after the start when
 * there was no usable duration (no end, or one not after the previous start); the end
 * unchanged while the new start is unreadable.
 */
export function endKeepingDuration(previousStart: string, start: string, end: string): string {
  const to = new Date(start).getTime();
  if (!start || Number.isNaN(to)) return end;
  const from = previousStart ? new Date(previousStart).getTime() : NaN;
  const until = end ? new Date(end).getTime() : NaN;
  const duration = Number.isNaN(from) || Number.isNaN(until) || until <= from ? HOUR_MS : until - from;
  return nowForDateTimeInput(new Date(to + duration));
}
