//! ISO weeks as the weekly reports count them (crm-core's `reports::Week`): Monday to
//! Sunday, week 1 the one holding the year's first Thursday, named `2026-W49`, today
//! taken in Paris time whatever this computer's zone. Pure calendar arithmetic on
//! `YYYY-MM-DD` dates (done in UTC, so no daylight-saving hour ever shifts a day); the
//! reports page moves from week to week with it and says which days a week covers.

/** An ISO week: its year (which may differ from the calendar year of its days) and number. */
export interface IsoWeek {
  year: number;
  week: number;
}

const DAY_MS = 86_400_000;

/** The zone the weeks are counted in (the core's). */
const WEEK_TIME_ZONE = 'Europe/Paris';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Days since 1970-01-01 of a calendar date. */
function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** A day number as `YYYY-MM-DD`. */
function ymdOf(days: number): string {
  const date = new Date(days * DAY_MS);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** 1 for Monday … 7 for Sunday. */
function isoWeekday(days: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** The day number of a `YYYY-MM-DD` date, or null when it is not one. */
function parseDay(ymd: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const days = dayNumber(year, month, day);
  // 2026-02-30 rolls over to March: not a date.
  return ymdOf(days) === ymd ? days : null;
}

/** Today's date in Paris (`YYYY-MM-DD`) at the instant `now`. */
export function parisDay(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: WEEK_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The ISO week holding the date `ymd`; null when it is not a date. */
export function weekOfDay(ymd: string): IsoWeek | null {
  const days = parseDay(ymd);
  if (days === null) return null;
  // The week's Thursday decides its year.
  const thursday = days + 4 - isoWeekday(days);
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  return { year, week: Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1 };
}

/** The week holding `now`, in Paris. */
export function currentWeek(now: Date = new Date()): IsoWeek {
  return weekOfDay(parisDay(now))!;
}

/** 53 for the years whose 28 December falls in a week 53 (2026, 2032…), else 52. */
export function weeksInYear(year: number): number {
  return weekOfDay(`${pad(year, 4)}-12-28`)!.week;
}

/** `2026-W49`. */
export function weekText(week: IsoWeek): string {
  return `${pad(week.year, 4)}-W${pad(week.week)}`;
}

/** A week as written in an address or by the core (`2026-W49`, `2026-w5`); null when it
 *  is not one (week 53 of a year that has only 52 included). */
export function parseWeek(text: string | null | undefined): IsoWeek | null {
  const match = /^(\d{4})-W(\d{1,2})$/i.exec((text ?? '').trim());
  if (!match) return null;
  const week = { year: Number(match[1]), week: Number(match[2]) };
  return week.week >= 1 && week.week <= weeksInYear(week.year) ? week : null;
}

/** The day number of the week's Monday. */
function mondayNumber(week: IsoWeek): number {
  // 4 January is always in week 1.
  const january4 = dayNumber(week.year, 1, 4);
  return january4 - (isoWeekday(january4) - 1) + (week.week - 1) * 7;
}

/** The week's Monday, `YYYY-MM-DD`. */
export function mondayOfWeek(week: IsoWeek): string {
  return ymdOf(mondayNumber(week));
}

/** The week's Sunday, `YYYY-MM-DD`. */
export function sundayOfWeek(week: IsoWeek): string {
  return ymdOf(mondayNumber(week) + 6);
}

/** The week `count` weeks after `week` (before it when negative), across year ends. */
export function shiftWeek(week: IsoWeek, count: number): IsoWeek {
  return weekOfDay(ymdOf(mondayNumber(week) + count * 7))!;
}

/** Negative when `a` comes before `b`, 0 for the same week, positive after. */
export function compareWeeks(a: IsoWeek, b: IsoWeek): number {
  return a.year - b.year || a.week - b.week;
}
