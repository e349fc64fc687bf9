// Unit tests of weeks.ts: ISO weeks as the weekly reports count them, around year ends
// (2026 has 53 weeks, 2025 and 2027 have 52), and today taken in Paris.

import { describe, expect, it } from 'vitest';
import { compareWeeks, currentWeek, mondayOfWeek, parisDay, parseWeek, shiftWeek, sundayOfWeek, weekOfDay, weeksInYear, weekText } from './weeks';

describe('the ISO week of a day', () => {
  it('puts 3 December 2026 in week 49, Monday 30 November to Sunday 6 December', () => {
    const week = weekOfDay('2026-12-03')!;
    expect(weekText(week)).toBe('2026-W49');
    expect(mondayOfWeek(week)).toBe('2026-11-30');
    expect(sundayOfWeek(week)).toBe('2026-12-06');
  });

  it('puts the first days of January in the last week of the year before when their Thursday is in it', () => {
    expect(weekText(weekOfDay('2027-01-01')!)).toBe('2026-W53');
    expect(weekText(weekOfDay('2027-01-03')!)).toBe('2026-W53');
    expect(weekText(weekOfDay('2027-01-04')!)).toBe('2027-W01');
    expect(weekText(weekOfDay('2021-01-03')!)).toBe('2020-W53');
  });

  it('puts the last days of December in week 1 of the next year when their Thursday is in it', () => {
    expect(weekText(weekOfDay('2025-12-29')!)).toBe('2026-W01');
    expect(weekText(weekOfDay('2024-12-30')!)).toBe('2025-W01');
    expect(weekText(weekOfDay('2025-12-28')!)).toBe('2025-W52');
  });

  it('reads no week from what is not a date', () => {
    expect(weekOfDay('2026-02-30')).toBeNull();
    expect(weekOfDay('03/12/2026')).toBeNull();
  });
});

describe('the weeks of a year', () => {
  it('gives 2026, 2020 and 2032 53 weeks, 2025 and 2027 52', () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2032)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(weeksInYear(2027)).toBe(52);
  });

  it('reads 2026-W53 but not 2025-W53 nor week 0', () => {
    expect(parseWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    expect(parseWeek('2025-W53')).toBeNull();
    expect(parseWeek('2026-W00')).toBeNull();
    expect(parseWeek('2026-49')).toBeNull();
    expect(parseWeek(null)).toBeNull();
  });

  it('reads a week written in lower case or without its leading zero, and writes it back padded', () => {
    expect(weekText(parseWeek('2026-w5')!)).toBe('2026-W05');
  });

  it('starts week 1 of 2026 on Monday 29 December 2025 and week 53 on Monday 28 December 2026', () => {
    expect(mondayOfWeek({ year: 2026, week: 1 })).toBe('2025-12-29');
    expect(mondayOfWeek({ year: 2026, week: 53 })).toBe('2026-12-28');
    expect(sundayOfWeek({ year: 2026, week: 53 })).toBe('2027-01-03');
  });
});

describe('moving from week to week', () => {
  it('goes from 2026-W53 to 2027-W01 and back', () => {
    expect(weekText(shiftWeek({ year: 2026, week: 53 }, 1))).toBe('2027-W01');
    expect(weekText(shiftWeek({ year: 2027, week: 1 }, -1))).toBe('2026-W53');
  });

  it('goes from 2025-W52 to 2026-W01, since 2025 has no week 53', () => {
    expect(weekText(shiftWeek({ year: 2025, week: 52 }, 1))).toBe('2026-W01');
    expect(weekText(shiftWeek({ year: 2026, week: 1 }, -1))).toBe('2025-W52');
  });

  it('moves several weeks at once', () => {
    expect(weekText(shiftWeek({ year: 2026, week: 49 }, -10))).toBe('2026-W39');
    expect(weekText(shiftWeek({ year: 2026, week: 49 }, 6))).toBe('2027-W02');
  });

  it('orders weeks across years', () => {
    expect(compareWeeks({ year: 2026, week: 53 }, { year: 2027, week: 1 })).toBeLessThan(0);
    expect(compareWeeks({ year: 2026, week: 49 }, { year: 2026, week: 49 })).toBe(0);
    expect(compareWeeks({ year: 2027, week: 2 }, { year: 2026, week: 52 })).toBeGreaterThan(0);
  });
});

describe('today in Paris', () => {
  it('is already Monday in Paris at 23:30 UTC on Sunday, and its week the new one', () => {
    const now = new Date('2026-11-29T23:30:00Z');
    expect(parisDay(now)).toBe('2026-11-30');
    expect(weekText(currentWeek(now))).toBe('2026-W49');
  });

  it('turns to Monday at midnight in Paris, two hours ahead of UTC in summer and one in winter', () => {
    expect(parisDay(new Date('2026-06-28T21:30:00Z'))).toBe('2026-06-28');
    expect(parisDay(new Date('2026-06-28T22:30:00Z'))).toBe('2026-06-29');
    expect(parisDay(new Date('2026-12-27T22:30:00Z'))).toBe('2026-12-27');
    expect(parisDay(new Date('2026-12-27T23:00:00Z'))).toBe('2026-12-28');
  });
});
