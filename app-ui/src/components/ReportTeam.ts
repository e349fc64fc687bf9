//! A sales manager's team on the « Rapports » page: one row per rep (visits, calls,
//! deals created, won with their amount, lost, quotes sent, pipeline and weighted
//! pipeline, whether they sent their week), the team's total, then what each rep wrote
//! about their week and the team's pipeline by stage. A count opens the records behind
//! it in a row under its own. Rows carry `data-rep` (the rep's name), cells `data-figure`.

import type { RepReport, TeamReport } from '../api';
import { h, type Child } from '../dom';
import { formatMoney } from '../format';
import { t, tCount } from '../i18n';
import { pipelineIds, sentText } from '../reports';
import { pipelineCard } from './ReportWeek';
import { RecordLookup, RecordsPanel, type RecordKind } from './RecordLinks';

/** The figures of a row: a rep's, or the team's total. */
type RowFigures = Omit<RepReport, 'name' | 'comment' | 'submitted_at'>;

const COLUMNS = 10;

/** The sections of the team's week. */
export function teamWeek(report: TeamReport, lookup: () => RecordLookup): HTMLElement[] {
  if (report.reps.length === 0) {
    return [h('section', { id: 'report-team-empty', class: 'card' }, h('p', { class: 'list-empty' }, t('reports.noTeam')))];
  }
  const body = h('tbody', {});
  for (const rep of report.reps) body.append(...row(rep, rep.name, lookup, { rep: rep.name, user: rep.user }, sentCell(rep)));
  const foot = h('tfoot', {}, ...row(report, t('reports.teamTotal'), lookup, {}, h('td', {}, tCount('reports.sentCount', report.reps.filter((rep) => rep.submitted_at).length, { total: report.reps.length }))));
  const headers = [
    t('reports.rep'),
    t('reports.visits'),
    t('reports.calls'),
    t('reports.dealsCreated'),
    t('reports.dealsWon'),
    t('reports.dealsLost'),
    t('reports.quotesSent'),
    t('reports.pipelineShort'),
    t('reports.weighted'),
    t('reports.sent'),
  ];
  return [
    h(
      'section',
      { id: 'report-team', class: 'card table-card report-card', 'aria-label': t('reports.teamTitle') },
      h(
        'table',
        { id: 'report-team-table', class: 'data-table report-table' },
        h('thead', {}, h('tr', {}, ...headers.map((text, i) => h('th', { class: i === 0 || i === COLUMNS - 1 ? '' : 'numeric' }, text)))),
        body,
        foot,
      ),
    ),
    commentsCard(report.reps),
    pipelineCard('report-team-pipeline', t('reports.teamPipeline'), report, lookup),
  ];
}

/** A row of figures and the row under it where its records open. */
function row(figures: RowFigures, name: string, lookup: () => RecordLookup, dataset: Record<string, string>, last: HTMLElement): HTMLTableRowElement[] {
  const panelRow = h('tr', { class: 'records-row' });
  const panel = new RecordsPanel(lookup, panelRow);
  panelRow.append(h('td', { colSpan: COLUMNS }, panel.el));
  const cell = (key: string, text: Child, kind: RecordKind, ids: readonly string[], what: string, keep?: (entry: { kind?: string }) => boolean) =>
    h('td', { class: 'numeric', dataset: { figure: key } }, panel.figure(text, { kind, ids, title: `${what} — ${name}`, keep }));
  const activity = (key: string, count: number, kind: string, what: string) =>
    cell(key, String(count), 'activity', count > 0 ? figures.activity_ids : [], what, (entry) => entry.kind === kind);
  const won = figures.deals_won;
  const main = h(
    'tr',
    { class: Object.keys(dataset).length > 0 ? 'report-rep' : 'report-total', dataset },
    h('th', { scope: 'row' }, name),
    activity('visits', figures.visits, 'visit', t('reports.visits')),
    activity('calls', figures.calls, 'call', t('reports.calls')),
    cell('deals-created', String(figures.deals_created.count), 'deal', figures.deals_created.ids, t('reports.dealsCreated')),
    cell('deals-won', won.count > 0 ? h('span', {}, String(won.count), h('span', { class: 'cell-amount' }, formatMoney(won.amount))) : '0', 'deal', won.ids, t('reports.dealsWon')),
    cell('deals-lost', String(figures.deals_lost.count), 'deal', figures.deals_lost.ids, t('reports.dealsLost')),
    cell('quotes-sent', String(figures.quotes_sent.count), 'quote', figures.quotes_sent.ids, t('reports.quotesSent')),
    cell('pipeline', formatMoney(figures.pipeline_amount), 'deal', pipelineIds(figures.pipeline), t('reports.pipelineShort')),
    h('td', { class: 'numeric', dataset: { figure: 'weighted' } }, formatMoney(figures.pipeline_weighted)),
    last,
  );
  return [main, panelRow];
}

/** « Envoyé le … » or « Pas encore envoyé ». */
function sentCell(rep: RepReport): HTMLElement {
  const sent = sentText(rep.submitted_at);
  return h('td', { class: sent ? 'report-sent' : 'report-not-sent muted' }, sent ?? t('reports.notSent'));
}

/** What each rep wrote, those who sent first; those who did not are named at the end. */
function commentsCard(reps: RepReport[]): HTMLElement {
  const sent = reps.filter((rep) => rep.submitted_at);
  const waiting = reps.filter((rep) => !rep.submitted_at);
  return h(
    'section',
    { id: 'report-comments', class: 'card report-card', 'aria-labelledby': 'report-comments-title' },
    h('h2', { id: 'report-comments-title' }, t('reports.comments')),
    h(
      'ul',
      { class: 'item-list' },
      ...sent.map((rep) =>
        h(
          'li',
          { class: 'report-comment', dataset: { rep: rep.name } },
          h('div', { class: 'report-comment-head' }, h('span', { class: 'strong' }, rep.name), h('span', { class: 'muted' }, sentText(rep.submitted_at))),
          rep.comment ? h('blockquote', { class: 'report-comment-text' }, rep.comment) : h('p', { class: 'muted' }, t('reports.noComment')),
        ),
      ),
      sent.length === 0 ? h('li', { class: 'list-empty' }, t('reports.noneSent')) : null,
    ),
    waiting.length > 0 && sent.length > 0 ? h('p', { class: 'muted report-waiting' }, t('reports.waiting', { names: waiting.map((rep) => rep.name).join(', ') })) : null,
  );
}
