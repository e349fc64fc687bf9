// Unit tests of reports.ts: the words of the weekly report page (its week, whether it
// was sent, the next week's steps), the view each role opens on, and the sums the page
// makes of the core's lines.

import { describe, expect, it } from 'vitest';
import {
  defaultReportView,
  hasNextWeek,
  hasTeamView,
  hoursText,
  mixesDealTypes,
  nextStepKind,
  pipelineIds,
  sentText,
  serviceLineLabel,
  weekTitle,
} from './reports';

describe('the words of a week', () => {
  it('names the week by its number and its Monday and Sunday, in French', () => {
    expect(weekTitle({ week: '2026-W49', from: '2026-11-30', to: '2026-12-06' })).toBe('Semaine 49 — du 30/11/2026 au 06/12/2026');
  });

  it('names week 53 and a week across the new year', () => {
    expect(weekTitle({ week: '2026-W53', from: '2026-12-28', to: '2027-01-03' })).toBe('Semaine 53 — du 28/12/2026 au 03/01/2027');
  });

  it('says when the week was sent, with the date and time, and nothing while it was not', () => {
    expect(sentText('2026-12-04T17:05:00')).toBe('Envoyé le 04/12/2026 17:05');
    expect(sentText(null)).toBeNull();
    expect(sentText('')).toBeNull();
  });

  it('calls a follow-up « Relance » and a task « Tâche »', () => {
    expect(nextStepKind({ kind: 'follow_up' })).toBe('Relance');
    expect(nextStepKind({ kind: 'task' })).toBe('Tâche');
  });

  it('writes mean hours with a decimal comma, and « — » when nothing was measured', () => {
    expect(hoursText(12.5)).toBe('12,5 h');
    expect(hoursText(null)).toBe('—');
  });

  it('calls the service total « Toutes priorités » and each line by its priority', () => {
    const label = (id: string) => ({ urgent: 'Urgente' })[id] ?? '';
    expect(serviceLineLabel({ priority: '', label: 'Toutes priorités' }, label)).toBe('Toutes priorités');
    expect(serviceLineLabel({ priority: 'urgent', label: 'Urgente' }, label)).toBe('Urgente');
    expect(serviceLineLabel({ priority: 'odd', label: 'Bizarre' }, label)).toBe('Bizarre');
  });
});

describe('the view a role opens on', () => {
  it('opens the team’s week for a sales manager, and their own week for everyone else', () => {
    expect(defaultReportView('manager')).toBe('team');
    for (const role of ['rep', 'marketing', 'support', 'admin', null]) expect(defaultReportView(role)).toBe('mine');
  });

  it('offers the team’s week to sales managers only', () => {
    expect(hasTeamView('manager')).toBe(true);
    expect(hasTeamView('rep')).toBe(false);
  });
});

describe('moving on', () => {
  it('offers the next week up to the current one, across the year end', () => {
    expect(hasNextWeek({ year: 2026, week: 48 }, { year: 2026, week: 49 })).toBe(true);
    expect(hasNextWeek({ year: 2026, week: 53 }, { year: 2027, week: 1 })).toBe(true);
    expect(hasNextWeek({ year: 2026, week: 49 }, { year: 2026, week: 49 })).toBe(false);
  });
});

describe('the pipeline lines', () => {
  it('lists every deal of the pipeline once', () => {
    expect(pipelineIds([{ ids: ['d1', 'd2'] }, { ids: ['d3'] }, { ids: ['d2'] }])).toEqual(['d1', 'd2', 'd3']);
  });

  it('sees when the lines mix deal types', () => {
    expect(mixesDealTypes([{ deal_type: 'simple' }, { deal_type: 'simple' }])).toBe(false);
    expect(mixesDealTypes([{ deal_type: 'simple' }, { deal_type: 'complex' }])).toBe(true);
  });
});
