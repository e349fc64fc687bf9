// Unit tests of eventEdit.ts: an appointment opened in the form shows its local times,
// an edit sends only what changed, and moving the start keeps the duration.

import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from './api';
import { dateTimeInputToRfc3339 } from './format';
import { changedEventFields, endKeepingDuration, eventValues, newEventFields, toDateTimeInput, type EventValues } from './eventEdit';

/** A local time as RFC 3339 with this computer's offset, as the form sends it. */
function local(value: string): string {
  return dateTimeInputToRfc3339(value)!;
}

const visit: CalendarEvent = {
  id: 'e1',
  type: 'event',
  title: 'Visite annuelle',
  start: local('2026-03-12T14:00'),
  end: local('2026-03-12T15:30'),
  account: 'a1',
  place: 'Lyon',
  owner: 'u1',
  notes: null,
};

describe('an appointment in the form', () => {
  it('shows its times in local time and its empty fields as empty text', () => {
    expect(eventValues(visit)).toEqual({
      title: 'Visite annuelle',
      start: '2026-03-12T14:00',
      end: '2026-03-12T15:30',
      account: 'a1',
      place: 'Lyon',
      notes: '',
    });
  });

  it('reads a time written with another offset as the same instant', () => {
    const instant = new Date(Date.UTC(2026, 2, 12, 13, 0));
    expect(toDateTimeInput('2026-03-12T13:00:00Z')).toBe(toDateTimeInput(instant.toISOString()));
    expect(new Date(toDateTimeInput('2026-03-12T13:00:00Z')).getTime()).toBe(instant.getTime());
  });

  it('shows an unreadable or missing time as empty', () => {
    expect(toDateTimeInput('demain')).toBe('');
    expect(toDateTimeInput(null)).toBe('');
  });
});

describe('what saving sends', () => {
  const before: EventValues = eventValues(visit);

  it('sends nothing when nothing changed, spaces around a value included', () => {
    expect(changedEventFields(before, { ...before, title: ' Visite annuelle ' })).toEqual({});
  });

  it('sends only the changed title, trimmed', () => {
    expect(changedEventFields(before, { ...before, title: ' Visite de fin d’année ' })).toEqual({ title: 'Visite de fin d’année' });
  });

  it('sends a moved appointment as its two new times, with the offset', () => {
    const moved = { ...before, start: '2026-03-13T09:00', end: '2026-03-13T10:30' };
    expect(changedEventFields(before, moved)).toEqual({ start: local('2026-03-13T09:00'), end: local('2026-03-13T10:30') });
  });

  it('clears an emptied field with null', () => {
    expect(changedEventFields(before, { ...before, place: '  ', account: '' })).toEqual({ place: null, account: null });
  });

  it('sends what was typed for a new appointment, nothing for empty fields', () => {
    const typed: EventValues = { title: ' Appel ', start: '2026-03-12T09:00', end: '2026-03-12T09:30', account: '', place: '', notes: '' };
    expect(newEventFields(typed)).toEqual({ title: 'Appel', start: local('2026-03-12T09:00'), end: local('2026-03-12T09:30') });
  });

  it('sends an unreadable time as typed, for the backend to say what is wrong', () => {
    expect(changedEventFields(before, { ...before, start: '31/02' })).toEqual({ start: '31/02' });
  });
});

describe('moving the start', () => {
  it('keeps the duration, as calendars do', () => {
    expect(endKeepingDuration('2026-03-12T14:00', '2026-03-13T09:15', '2026-03-12T15:30')).toBe('2026-03-13T10:45');
  });

  it('keeps a duration the user set by changing the end first', () => {
    expect(endKeepingDuration('2026-03-12T14:00', '2026-03-12T16:00', '2026-03-12T14:20')).toBe('2026-03-12T16:20');
  });

  it('gives one hour when there was no usable duration', () => {
    expect(endKeepingDuration('2026-03-12T14:00', '2026-03-12T16:00', '')).toBe('2026-03-12T17:00');
    expect(endKeepingDuration('2026-03-12T14:00', '2026-03-12T16:00', '2026-03-12T13:00')).toBe('2026-03-12T17:00');
    expect(endKeepingDuration('', '2026-03-12T16:00', '2026-03-12T15:00')).toBe('2026-03-12T17:00');
  });

  it('carries an appointment past midnight to the next day', () => {
    expect(endKeepingDuration('2026-03-12T14:00', '2026-03-12T23:30', '2026-03-12T15:00')).toBe('2026-03-13T00:30');
  });

  it('leaves the end alone while the new start is unreadable', () => {
    expect(endKeepingDuration('2026-03-12T14:00', '', '2026-03-12T15:00')).toBe('2026-03-12T15:00');
    expect(endKeepingDuration('2026-03-12T14:00', 'demain', '2026-03-12T15:00')).toBe('2026-03-12T15:00');
  });
});
