//! One person's week on the « Rapports » page: cards of figures (activities; accounts and
//! deals; quotes), the pipeline at the week's end by stage with its totals, the next
//! week's follow-ups and tasks, and, for marketing and customer service, their own
//! sections (leads and campaigns; tickets by priority with the service targets). Every
//! count that stands for records opens them, by name, under its card. The sections of
//! sales are shown to those who may read deals; the figures come from crm-core.

import type { Breakdown, CountAmount, MarketingWeek, NextStep, PipelineLine, RepReport, ServiceWeek } from '../api';
import { h, type Child } from '../dom';
import { formatCalendarDate, formatMoney, formatPercent } from '../format';
import { t } from '../i18n';
import { hoursText, mixesDealTypes, nextStepKind, pipelineLineLabel, serviceLineLabel } from '../reports';
import { may } from '../session';
import { ticketPriorityLabel } from '../tickets';
import { RecordLookup, RecordsPanel, routeLink, type RecordEntry, type RecordKind } from './RecordLinks';

/** What the sections need besides the report: the names lookup, the accounts' names. */
export interface WeekContext {
  lookup: () => RecordLookup;
  accountNames: ReadonlyMap<string, string>;
}

/** The records a figure opens. */
interface Records {
  kind: RecordKind;
  ids: readonly string[];
  keep?: (entry: RecordEntry) => boolean;
}

/** A figure of a card: its number (opening its records), its label, its amount. */
export function figure(panel: RecordsPanel, key: string, label: string, value: number, records: Records | null, amount?: string): HTMLElement {
  const ids = value > 0 && records ? records.ids : [];
  return h(
    'div',
    { class: 'figure', dataset: { figure: key } },
    panel.figure(String(value), { kind: records?.kind ?? 'account', ids, keep: records?.keep, title: label }, { class: 'figure-number' }),
    h('span', { class: 'figure-label' }, label),
    amount !== undefined ? h('span', { class: 'figure-amount' }, formatMoney(amount)) : null,
  );
}

/** A card of figures, with the list they open at its foot. */
function figureCard(id: string, title: string, build: (panel: RecordsPanel) => Child[], lookup: () => RecordLookup): HTMLElement {
  const panel = new RecordsPanel(lookup);
  return h(
    'section',
    { id, class: 'card report-card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    h('div', { class: 'figures' }, ...build(panel)),
    panel.el,
  );
}

/** Deals or quotes counted with their amount. */
function countAmount(panel: RecordsPanel, key: string, label: string, figureOf: CountAmount, kind: RecordKind): HTMLElement {
  return figure(panel, key, label, figureOf.count, { kind, ids: figureOf.ids }, figureOf.amount);
}

/** The activities of one kind among those counted. */
function activities(ids: readonly string[], kind: string): Records {
  return { kind: 'activity', ids, keep: (entry) => entry.kind === kind };
}

/** The sections of one person's week, in the order they are read. */
export function ownWeek(report: RepReport, context: WeekContext): HTMLElement[] {
  const { lookup } = context;
  const sales = may('read', 'deal');
  const cards: HTMLElement[] = [];
  if (may('read', 'activity')) {
    cards.push(
      figureCard('report-activities', t('reports.activities'), (panel) => [
        figure(panel, 'visits', t('reports.visits'), report.visits, activities(report.activity_ids, 'visit')),
        figure(panel, 'calls', t('reports.calls'), report.calls, activities(report.activity_ids, 'call')),
        figure(panel, 'notes', t('reports.notes'), report.notes, activities(report.activity_ids, 'note')),
        figure(panel, 'emails', t('reports.emails'), report.emails, activities(report.activity_ids, 'email')),
        figure(panel, 'meetings', t('reports.meetings'), report.meetings, activities(report.activity_ids, 'meeting')),
      ], lookup),
    );
  }
  if (sales) {
    cards.push(
      figureCard('report-deals', t('reports.accountsAndDeals'), (panel) => [
        figure(panel, 'accounts-created', t('reports.accountsCreated'), report.accounts_created.count, { kind: 'account', ids: report.accounts_created.ids }),
        countAmount(panel, 'deals-created', t('reports.dealsCreated'), report.deals_created, 'deal'),
        countAmount(panel, 'deals-moved', t('reports.dealsMoved'), report.deals_moved, 'deal'),
        countAmount(panel, 'deals-won', t('reports.dealsWon'), report.deals_won, 'deal'),
        countAmount(panel, 'deals-lost', t('reports.dealsLost'), report.deals_lost, 'deal'),
      ], lookup),
      figureCard('report-quotes', t('reports.quotes'), (panel) => [
        countAmount(panel, 'quotes-sent', t('reports.quotesSent'), report.quotes_sent, 'quote'),
        countAmount(panel, 'quotes-accepted', t('reports.quotesAccepted'), report.quotes_accepted, 'quote'),
      ], lookup),
    );
  }
  const sections: HTMLElement[] = [];
  // Marketing and customer service read their own trade first.
  if (report.marketing) sections.push(marketingCard(report.marketing, lookup));
  if (report.service) sections.push(serviceCard(report.service, lookup));
  if (cards.length > 0) sections.push(h('div', { class: 'report-cards' }, ...cards));
  if (sales) sections.push(pipelineCard('report-pipeline', t('reports.pipeline'), report, lookup));
  sections.push(nextStepsCard(report.next_steps, context.accountNames));
  return sections;
}

/** The open deals at the week's end, by stage, with their totals. */
export function pipelineCard(
  id: string,
  title: string,
  report: { pipeline: PipelineLine[]; pipeline_amount: string; pipeline_weighted: string },
  lookup: () => RecordLookup,
): HTMLElement {
  const panelRow = h('tr', { class: 'records-row' });
  const panel = new RecordsPanel(lookup, panelRow);
  panelRow.append(h('td', { colSpan: 4 }, panel.el));
  const mixed = mixesDealTypes(report.pipeline);
  const rows = report.pipeline.map((line) => {
    const label = pipelineLineLabel(line, mixed);
    return h(
      'tr',
      { dataset: { stage: line.stage } },
      h('td', {}, label),
      h('td', { class: 'numeric' }, panel.figure(String(line.count), { kind: 'deal', ids: line.ids, title: label })),
      h('td', { class: 'numeric' }, formatMoney(line.amount)),
      h('td', { class: 'numeric' }, formatMoney(line.weighted)),
    );
  });
  const count = report.pipeline.reduce((sum, line) => sum + line.count, 0);
  const body = h('tbody', {}, ...(rows.length > 0 ? rows : [h('tr', {}, h('td', { class: 'list-empty', colSpan: 4 }, t('reports.pipelineEmpty')))]), panelRow);
  return h(
    'section',
    { id, class: 'card report-card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    h(
      'table',
      { class: 'data-table report-table' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, t('reports.stage')), h('th', { class: 'numeric' }, t('reports.count')), h('th', { class: 'numeric' }, t('reports.amount')), h('th', { class: 'numeric' }, t('reports.weighted'))),
      ),
      body,
      h(
        'tfoot',
        {},
        h(
          'tr',
          { class: 'report-total' },
          h('th', { scope: 'row' }, t('reports.total')),
          h('td', { class: 'numeric' }, String(count)),
          h('td', { class: 'numeric' }, formatMoney(report.pipeline_amount)),
          h('td', { class: 'numeric' }, formatMoney(report.pipeline_weighted)),
        ),
      ),
    ),
  );
}

/** The next week's follow-ups and tasks, by date. */
function nextStepsCard(steps: NextStep[], accountNames: ReadonlyMap<string, string>): HTMLElement {
  const rows = steps.map((step) => {
    const account = step.account ? (accountNames.get(step.account) ?? t('pipeline.unknownAccount')) : null;
    return h(
      'li',
      { class: 'item-row report-step', dataset: { id: step.id } },
      h('span', { class: 'report-step-date' }, formatCalendarDate(step.date)),
      h('span', { class: `status-tag report-step-${step.kind === 'task' ? 'task' : 'follow-up'}` }, nextStepKind(step)),
      h(
        'span',
        { class: 'item-main' },
        h('span', { class: 'item-title' }, step.title),
        account && step.account ? h('span', { class: 'item-meta' }, routeLink({ name: 'account', id: step.account }, { class: 'card-link' }, account)) : null,
      ),
    );
  });
  return h(
    'section',
    { id: 'report-next-steps', class: 'card report-card', 'aria-labelledby': 'report-next-steps-title' },
    h('h2', { id: 'report-next-steps-title' }, t('reports.nextSteps')),
    h('ul', { class: 'item-list' }, ...(rows.length > 0 ? rows : [h('li', { class: 'list-empty' }, t('reports.nextStepsEmpty'))])),
  );
}

/** Marketing's week: the leads received and what became of them, the campaigns sent. */
function marketingCard(m: MarketingWeek, lookup: () => RecordLookup): HTMLElement {
  const panel = new RecordsPanel(lookup);
  const breakdown = (title: string, parts: Breakdown[], link: (part: Breakdown) => HTMLElement | string) =>
    parts.length === 0
      ? null
      : h(
          'div',
          { class: 'report-breakdown' },
          h('h3', {}, title),
          h(
            'ul',
            { class: 'item-list' },
            ...parts.map((part) =>
              h('li', { class: 'item-row' }, h('span', { class: 'item-main' }, link(part)), panel.figure(String(part.count), { kind: 'lead', ids: part.ids, title: `${title} — ${part.label || part.key}` })),
            ),
          ),
        );
  return h(
    'section',
    { id: 'report-marketing', class: 'card report-card', 'aria-labelledby': 'report-marketing-title' },
    h('h2', { id: 'report-marketing-title' }, t('reports.marketing')),
    h(
      'div',
      { class: 'figures' },
      figure(panel, 'leads', t('reports.leads'), m.leads.count, { kind: 'lead', ids: m.leads.ids }),
      figure(panel, 'leads-qualified', t('reports.qualified'), m.qualified.count, { kind: 'lead', ids: m.qualified.ids }),
      figure(panel, 'leads-converted', t('reports.converted'), m.converted.count, { kind: 'lead', ids: m.converted.ids }),
      figure(panel, 'leads-disqualified', t('reports.disqualified'), m.disqualified.count, { kind: 'lead', ids: m.disqualified.ids }),
      figure(panel, 'campaigns-sent', t('reports.campaignsSent'), m.campaigns_sent.count, { kind: 'campaign', ids: m.campaigns_sent.ids }),
      figure(panel, 'emails-sent', t('reports.emailsSent'), m.emails_sent, null),
      figure(panel, 'unsubscribes', t('reports.unsubscribes'), m.unsubscribes.count, { kind: 'contact', ids: m.unsubscribes.ids }),
    ),
    h(
      'div',
      { class: 'report-breakdowns' },
      breakdown(t('reports.bySource'), m.by_source, (part) => part.label || part.key),
      breakdown(t('reports.byCampaign'), m.by_campaign, (part) => routeLink({ name: 'campaign', id: part.key }, { class: 'card-link' }, part.label || part.key)),
    ),
    panel.el,
    ...m.missing.map((note) => h('p', { class: 'page-help report-missing' }, note)),
  );
}

/** Customer service's week: tickets by priority, the share within the targets, mean times. */
function serviceCard(s: ServiceWeek, lookup: () => RecordLookup): HTMLElement {
  const panelRow = h('tr', { class: 'records-row' });
  const panel = new RecordsPanel(lookup, panelRow);
  panelRow.append(h('td', { colSpan: 7 }, panel.el));
  const rows = [s.total, ...s.by_priority].map((line) => {
    const label = serviceLineLabel(line, ticketPriorityLabel);
    const count = (value: { count: number; ids: string[] }, what: string) =>
      h('td', { class: 'numeric' }, panel.figure(String(value.count), { kind: 'ticket', ids: value.ids, title: `${what} — ${label}` }));
    return h(
      'tr',
      { class: line.priority ? '' : 'report-total', dataset: { priority: line.priority } },
      h('th', { scope: 'row' }, label),
      count(line.opened, t('reports.opened')),
      count(line.resolved, t('reports.resolved')),
      count(line.backlog, t('reports.backlog')),
      h('td', { class: 'numeric' }, line.sla_met_percent === null ? '—' : formatPercent(line.sla_met_percent)),
      h('td', { class: 'numeric' }, hoursText(line.mean_first_response_hours)),
      h('td', { class: 'numeric' }, hoursText(line.mean_resolution_hours)),
    );
  });
  const header = [t('reports.priority'), t('reports.opened'), t('reports.resolved'), t('reports.backlog'), t('reports.slaMet'), t('reports.firstResponse'), t('reports.resolution')];
  return h(
    'section',
    { id: 'report-service', class: 'card report-card', 'aria-labelledby': 'report-service-title' },
    h('h2', { id: 'report-service-title' }, t('reports.service')),
    h(
      'table',
      { class: 'data-table report-table' },
      h('thead', {}, h('tr', {}, ...header.map((text, i) => h('th', { class: i === 0 ? '' : 'numeric' }, text)))),
      h('tbody', {}, ...rows, panelRow),
    ),
  );
}
