// Unit tests of dashboard.ts: whose figures each role may choose, the options sent to the
// core, the forecast's months and the activity series as the charts draw them, and the
// words of the win rate.

import { describe, expect, it } from 'vitest';
import type { ActivityWeek, ForecastMonth } from './api';
import { activitySeries, chartAmount, cycleText, dashboardOptions, defaultScope, forecastMonths, monthLabel, repsFor, scopesFor, weekLabel, winRateText } from './dashboard';

describe('whose figures', () => {
  it('lets a manager choose between their own, their team’s and everything, starting on the team', () => {
    expect(scopesFor('manager', true)).toEqual(['me', 'team', 'all']);
    expect(defaultScope('manager', true)).toBe('team');
  });

  it('lets an administrator choose between their own and everything, starting on everything', () => {
    expect(scopesFor('admin', true)).toEqual(['me', 'all']);
    expect(defaultScope('admin', true)).toBe('all');
  });

  it('gives a rep, who sees only their own deals, no choice', () => {
    expect(scopesFor('rep', false)).toEqual([]);
    expect(defaultScope('rep', false)).toBe('me');
  });
});

describe('the options sent to the core', () => {
  it('sends no dates for the last 90 days, and the team for « Mon équipe »', () => {
    expect(dashboardOptions({ scope: 'team', from: '', to: '', dealType: '' }, 'u-1')).toEqual({ from: null, to: null, user: null, team: true, deal_type: null });
  });

  it('sends the user’s id for « Moi », the period and the deal type chosen', () => {
    expect(dashboardOptions({ scope: 'me', from: '2026-01-01', to: '2026-03-31', dealType: 'complex' }, 'u-1')).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      user: 'u-1',
      team: false,
      deal_type: 'complex',
    });
  });

  it('sends neither a user nor the team for « Tout »', () => {
    expect(dashboardOptions({ scope: 'all', from: '', to: '', dealType: '' }, 'u-1')).toMatchObject({ user: null, team: false });
    // One rep picked: their figures alone, whatever the scope.
    expect(dashboardOptions({ scope: 'team', rep: 'u-7', from: '', to: '', dealType: '' }, 'u-1')).toMatchObject({ user: 'u-7', team: false });
  });
});

describe('the forecast', () => {
  const month = (m: string): ForecastMonth => ({ month: m, count: 1, amount: '100.00', weighted: '50.00', ids: [`d-${m}`] });

  it('orders the months and puts the deals without a date last', () => {
    expect(forecastMonths([month(''), month('2027-01'), month('2026-12')]).map((m) => m.month)).toEqual(['2026-12', '2027-01', '']);
  });

  it('names a month in French and the deals without a date « Sans date »', () => {
    expect(monthLabel('2026-12')).toBe('déc. 2026');
    expect(monthLabel('2027-02')).toBe('févr. 2027');
    expect(monthLabel('')).toBe('Sans date');
  });

  it('reads an exact amount for a bar, and zero for nothing', () => {
    expect(chartAmount('1234.56')).toBe(1234.56);
    expect(chartAmount(null)).toBe(0);
    expect(chartAmount('n/a')).toBe(0);
  });
});

describe('the activity per rep and week', () => {
  const week = (user: string, name: string, w: string, visits: number, calls: number, others: number): ActivityWeek => ({
    user,
    name,
    week: w,
    visits,
    calls,
    others,
    ids: [`${user}-${w}`],
  });

  it('puts the weeks in order, the reps by name, and zeros where a rep did nothing', () => {
    const series = activitySeries([week('u-2', 'Zoé', '2026-W49', 1, 0, 0), week('u-1', 'Alain', '2026-W48', 2, 1, 3), week('u-1', 'Alain', '2026-W49', 0, 4, 0)]);
    expect(series.weeks).toEqual(['2026-W48', '2026-W49']);
    expect(series.reps.map((r) => r.name)).toEqual(['Alain', 'Zoé']);
    expect(series.reps[0]).toMatchObject({ visits: [2, 0], calls: [1, 4], others: [3, 0], ids: [['u-1-2026-W48'], ['u-1-2026-W49']] });
    expect(series.reps[1]).toMatchObject({ visits: [0, 1], calls: [0, 0], others: [0, 0], ids: [[], ['u-2-2026-W49']] });
  });

  it('orders weeks across the year end and names them by number', () => {
    expect(activitySeries([week('u', 'A', '2027-W01', 1, 0, 0), week('u', 'A', '2026-W53', 1, 0, 0)]).weeks).toEqual(['2026-W53', '2027-W01']);
    expect(weekLabel('2026-W53')).toBe('S53');
  });
});

describe('the win rate', () => {
  it('writes the rate with a decimal comma, and « — » when nothing closed', () => {
    expect(winRateText(42.9).replace(/\s/g, ' ')).toBe('42,9 %');
    expect(winRateText(100).replace(/\s/g, ' ')).toBe('100 %');
    expect(winRateText(null)).toBe('—');
  });

  it('writes the mean cycle in days', () => {
    expect(cycleText(12.5)).toBe('Cycle moyen : 12,5 jours');
    expect(cycleText(1)).toBe('Cycle moyen : 1 jour');
    expect(cycleText(null)).toBeNull();
  });
});

describe('repsFor', () => {
  const people = [
    { id: 'm', name: 'Marc', manager_id: null },
    { id: 'z', name: 'Zoé', manager_id: 'm' },
    { id: 'a', name: 'Aline', manager_id: 'm' },
    { id: 'p', name: 'Paul', manager_id: 'x' },
  ];
  it("gives a manager their team by name, everyone to someone who sees all, nobody to a rep", () => {
    expect(repsFor(people, ['me', 'team', 'all'], 'm').map((p) => p.name)).toEqual(['Aline', 'Zoé']);
    expect(repsFor(people, ['me', 'all'], 'm').map((p) => p.name)).toEqual(['Aline', 'Paul', 'Zoé']);
    expect(repsFor(people, [], 'z')).toEqual([]);
  });
});
