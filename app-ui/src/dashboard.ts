//! What the « Tableau de bord » asks for and how it draws the answer: whose figures a role
//! may choose (« Moi », « Mon équipe », « Tout »), the options sent to the core, the
//! months of the forecast in order with « Sans date » last, the activity of each rep
//! week by week as chart series, and the words of the win rate. Pure: the figures are
//! crm-core's, computed on this device.

import type { ActivityWeek, DashboardOptions, ForecastMonth } from './api';
import { formatPercent, formatQuantity } from './format';
import { locale, t, tCount } from './i18n';
import { parseWeek } from './weeks';

/** Whose deals and activities the dashboard covers. */
export type DashboardScope = 'me' | 'team' | 'all';

/** The scopes a role may choose between; none (its own figures only) for a rep. */
export function scopesFor(role: string | null | undefined, seesOthers: boolean): DashboardScope[] {
  if (!seesOthers) return [];
  return role === 'manager' ? ['me', 'team', 'all'] : ['me', 'all'];
}

/** A manager starts on their team, an administrator on everything, a rep on their own. */
export function defaultScope(role: string | null | undefined, seesOthers: boolean): DashboardScope {
  if (!seesOthers) return 'me';
  return role === 'manager' ? 'team' : 'all';
}

/** The filters as the page holds them: empty strings for « not chosen ». */
export interface DashboardFilters {
  scope: DashboardScope;
  /** One rep's figures (their user id) instead of the scope; '' for none. */
  rep?: string;
  from: string;
  to: string;
  dealType: string;
}

/** The options sent to the core: no dates means the last 90 days; « Moi » is the user's id. */
export function dashboardOptions(filters: DashboardFilters, me: string | null): DashboardOptions {
  return {
    from: filters.from || null,
    to: filters.to || null,
    user: filters.rep ? filters.rep : filters.scope === 'me' ? me : null,
    team: !filters.rep && filters.scope === 'team',
    deal_type: filters.dealType || null,
  };
}

/** The people a user may pick one of on the dashboard: a manager's team, everyone for
 *  someone who sees everything; by name, without the user themself (« Moi »). */
export function repsFor<P extends { id: string; name: string; manager_id: string | null }>(
  people: readonly P[],
  scopes: readonly DashboardScope[],
  me: string | null,
): P[] {
  if (scopes.length === 0) return [];
  const mine = scopes.includes('team') ? people.filter((p) => p.manager_id === me) : people;
  return mine.filter((p) => p.id !== me).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** The forecast's months in order, the deals without a date last. */
export function forecastMonths(forecast: readonly ForecastMonth[]): ForecastMonth[] {
  return [...forecast].sort((a, b) => (a.month === '' ? 1 : 0) - (b.month === '' ? 1 : 0) || a.month.localeCompare(b.month));
}

/** « déc. 2026 » for `2026-12`, « Sans date » for the deals without an expected close. */
export function monthLabel(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month === '' ? t('dashboard.noDate') : month;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 15));
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** « S49 » for `2026-W49`. */
export function weekLabel(week: string): string {
  const parsed = parseWeek(week);
  return parsed ? t('dashboard.weekShort', { week: parsed.week }) : week;
}

/** One rep's activities, week by week (in the order of `ActivitySeries.weeks`). */
export interface RepActivity {
  user: string;
  name: string;
  visits: number[];
  calls: number[];
  others: number[];
  /** The activities of each week. */
  ids: string[][];
}

export interface ActivitySeries {
  weeks: string[];
  reps: RepActivity[];
}

/** The activity per rep and week as chart series: weeks in order, reps by name, a zero
 *  for a week a rep did nothing. */
export function activitySeries(activity: readonly ActivityWeek[]): ActivitySeries {
  const weeks = [...new Set(activity.map((a) => a.week))].sort();
  const reps = new Map<string, RepActivity>();
  for (const a of activity) {
    let rep = reps.get(a.user);
    if (!rep) {
      const zeros = () => weeks.map(() => 0);
      rep = { user: a.user, name: a.name || a.user, visits: zeros(), calls: zeros(), others: zeros(), ids: weeks.map(() => []) };
      reps.set(a.user, rep);
    }
    const i = weeks.indexOf(a.week);
    rep.visits[i]! += a.visits;
    rep.calls[i]! += a.calls;
    rep.others[i]! += a.others;
    rep.ids[i]!.push(...a.ids);
  }
  return { weeks, reps: [...reps.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr')) };
}

/** An amount of the core (`"1200.50"`) as a number, for a chart's bar only. */
export function chartAmount(amount: string | null | undefined): number {
  const value = Number(amount);
  return Number.isFinite(value) ? value : 0;
}

/** « 42,9 % », or « — » when nothing closed in the period. */
export function winRateText(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : formatPercent(rate);
}

/** « Cycle moyen : 12,5 jours », or null when no deal was won. */
export function cycleText(days: number | null | undefined): string | null {
  if (days === null || days === undefined) return null;
  return tCount('dashboard.cycle', days, { days: formatQuantity(days) });
}
