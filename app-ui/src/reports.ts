//! The words of the weekly reports (« Semaine 49 — du 30/11/2026 au 06/12/2026 »,
//! « Envoyé le … », « Relance »), which view a role opens on, and the few sums the page
//! shows that the core leaves to the reader (a team's pipeline ids). Pure: the figures
//! themselves come from crm-core, computed on this device.

import type { NextStep, PipelineLine, ServiceLine } from './api';
import { dealTypeLabel, formatCalendarDate, formatDateTime, formatQuantity, stageLabel } from './format';
import { t } from './i18n';
import { compareWeeks, parseWeek, type IsoWeek } from './weeks';

/** What the reports page shows: the team's week (a sales manager's default) or the user's own. */
export type ReportView = 'team' | 'mine';

/** A sales manager opens on the team; everyone else on their own week. */
export function defaultReportView(role: string | null | undefined): ReportView {
  return role === 'manager' ? 'team' : 'mine';
}

/** Whether a role may switch to the team's week (those with reps reporting to them). */
export function hasTeamView(role: string | null | undefined): boolean {
  return role === 'manager';
}

/** « Semaine 49 — du 30/11/2026 au 06/12/2026 » for a report's `week`, `from` and `to`. */
export function weekTitle(report: { week: string; from: string; to: string }): string {
  const week = parseWeek(report.week);
  return t('reports.weekTitle', {
    number: week ? week.week : report.week,
    from: formatCalendarDate(report.from),
    to: formatCalendarDate(report.to),
  });
}

/** « Envoyé le 03/12/2026 14:05 », or null while the week was not sent. */
export function sentText(submittedAt: string | null | undefined): string | null {
  return submittedAt ? t('reports.sentOn', { date: formatDateTime(submittedAt) }) : null;
}

/** « Relance » for a follow-up set on an activity, « Tâche » for a task. */
export function nextStepKind(step: Pick<NextStep, 'kind'>): string {
  return step.kind === 'task' ? t('reports.stepTask') : t('reports.stepFollowUp');
}

/** Whether « Semaine suivante » leads anywhere: not past the current week, whose report
 *  is the last one with anything in it. */
export function hasNextWeek(shown: IsoWeek, current: IsoWeek): boolean {
  return compareWeeks(shown, current) < 0;
}

/** A pipeline line's name: its stage, after its deal type when the lines mix types. */
export function pipelineLineLabel(line: Pick<PipelineLine, 'deal_type' | 'stage' | 'label'>, mixed: boolean): string {
  const stage = stageLabel(line.stage, line.label);
  return mixed ? `${dealTypeLabel(line.deal_type)} · ${stage}` : stage;
}

/** Whether the lines belong to more than one deal type. */
export function mixesDealTypes(lines: ReadonlyArray<Pick<PipelineLine, 'deal_type'>>): boolean {
  return new Set(lines.map((line) => line.deal_type)).size > 1;
}

/** Every deal of a pipeline, once. */
export function pipelineIds(lines: ReadonlyArray<Pick<PipelineLine, 'ids'>>): string[] {
  return [...new Set(lines.flatMap((line) => line.ids))];
}

/** « 12,5 h », or « — » when nothing was measured. */
export function hoursText(hours: number | null | undefined): string {
  return hours === null || hours === undefined ? '—' : t('reports.hours', { hours: formatQuantity(hours) });
}

/** A service line's name: its priority's, « Toutes priorités » for the total. */
export function serviceLineLabel(line: Pick<ServiceLine, 'priority' | 'label'>, priorityLabel: (id: string) => string): string {
  return line.priority ? priorityLabel(line.priority) || line.label : t('reports.allPriorities');
}
