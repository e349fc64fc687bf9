//! « Tableau de bord »: over a period (the last 90 days unless two dates are chosen),
//! for « Moi », « Mon équipe » (a sales manager) or « Tout », for one deal type or all:
//! the pipeline by stage (amount and weighted), the weighted forecast by month of
//! expected close, the win rate with the deals won and lost and the mean sales cycle,
//! each rep's activity week by week, the renewals and notice deadlines of the next 90
//! days and the accounts with the most signed. A bar, a figure or a row opens the records
//! behind it. « Exporter (Excel) » writes the tables in the user's documents. Two columns
//! of cards at 1366 px, one when narrower; printable. Once the figures are drawn the page
//! carries `data-ready="true"`.

import { api, type Dashboard } from '../api';
import { activitySeries, chartAmount, cycleText, dashboardOptions, defaultScope, forecastMonths, monthLabel, repsFor, scopesFor, weekLabel, winRateText, type DashboardFilters, type DashboardScope } from '../dashboard';
import { h, replaceChildren, type Child } from '../dom';
import { contractTypeLabel, dealTypeLabel, formatCalendarDate, formatMoney, sumAmounts } from '../format';
import { t, tCount } from '../i18n';
import { Reloader } from '../reload';
import { mixesDealTypes, pipelineLineLabel } from '../reports';
import { navigate } from '../router';
import { seesOthers, signedInUser } from '../session';
import { loadSalesSettings } from '../stages';
import type { BarChart, BarDataset } from './DashboardCharts';
import { ExportNotice } from './ExportNotice';
import { FormError, messageOf } from './FormField';
import { clickableRow } from './ListPage';
import { RecordLookup, RecordsPanel, routeLink } from './RecordLinks';
import { figure } from './ReportWeek';

/** The filters chosen, kept while the app runs. */
let kept: DashboardFilters | null = null;

/** The app's colours (base.css), so the charts read like the rest of the screen. */
const COLOURS = {
  blue: '#2563c9',
  lightBlue: '#9ebff0',
  green: '#1b8a4b',
  amber: '#b86e00',
} as const;

/** Chart.js is loaded with the first dashboard shown, not when the app starts. */
type ChartsModule = typeof import('./DashboardCharts');
let chartsModule: Promise<ChartsModule> | null = null;

function loadCharts(): Promise<ChartsModule> {
  chartsModule ??= import('./DashboardCharts');
  return chartsModule;
}

export class DashboardPage {
  readonly el: HTMLElement;
  private readonly filters: DashboardFilters;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly dealType: HTMLSelectElement;
  private readonly scopes: HTMLElement;
  /** One rep's figures, for who may see others'. */
  private readonly rep: HTMLSelectElement;
  private readonly period: HTMLElement;
  private readonly error = new FormError();
  private readonly exportNotice = new ExportNotice('dashboard-export-result');
  private readonly reloader = new Reloader((reason) => {
    this.error.show(messageOf(reason));
    this.el.dataset.ready = 'true';
  });
  private readonly canvases: Record<'pipeline' | 'forecast' | 'activity', HTMLCanvasElement>;
  private charts: Record<'pipeline' | 'forecast' | 'activity', BarChart> | null = null;
  private readonly pipelineSummary = h('p', { id: 'dashboard-pipeline-total', class: 'dashboard-summary' });
  private readonly forecastSummary = h('p', { id: 'dashboard-forecast-total', class: 'dashboard-summary' });
  private readonly winRate: HTMLElement;
  private readonly renewals: HTMLElement;
  private readonly topAccounts: HTMLElement;
  private readonly panels: Record<'pipeline' | 'forecast' | 'activity', RecordsPanel>;
  private lookup = new RecordLookup();
  private readonly role = signedInUser()?.role ?? null;
  private readonly seesTeam = seesOthers('deal');
  /** Whether the user chose the dates: until then the last 90 days are asked for (no
   *  dates sent) and the inputs show the period the core answered. */
  private datesChosen: boolean;

  constructor() {
    void loadCharts().then((charts) => charts.forgetDetachedCharts());
    const scopes = scopesFor(this.role, this.seesTeam);
    // What was chosen before is kept, but only a scope this user may choose (someone else
    // may have signed in since).
    const scope = kept && scopes.includes(kept.scope) ? kept.scope : defaultScope(this.role, this.seesTeam);
    this.filters = { ...(kept ?? { from: '', to: '', dealType: '' }), scope };
    kept = this.filters;
    this.datesChosen = Boolean(this.filters.from || this.filters.to);
    const dateInput = (id: string, value: string) =>
      h('input', { id, type: 'date', class: 'compact-date', value, on: { change: () => (this.datesChosen = true), input: () => (this.datesChosen = true) } });
    this.from = dateInput('dashboard-from', this.filters.from);
    this.to = dateInput('dashboard-to', this.filters.to);
    this.dealType = h('select', { id: 'dashboard-type', class: 'compact-select', on: { change: () => this.apply() } }, h('option', { value: '' }, t('dashboard.allTypes')));
    this.scopes = h('div', { id: 'dashboard-scope', class: 'segmented', role: 'group', 'aria-label': t('dashboard.scope'), hidden: scopes.length === 0 });
    this.rep = h('select', { id: 'dashboard-rep', class: 'compact-select', on: { change: () => this.pickRep(scopes) } }, h('option', { value: '' }, t('dashboard.anyRep')));
    this.renderScopes(scopes);
    this.period = h('div', { id: 'dashboard-period', class: 'page-subtitle' });
    const lookup = () => this.lookup;
    this.panels = { pipeline: new RecordsPanel(lookup), forecast: new RecordsPanel(lookup), activity: new RecordsPanel(lookup) };
    const canvas = (name: string, label: string) => h('canvas', { dataset: { chart: name }, role: 'img', 'aria-label': label }, label);
    const pipelineCanvas = canvas('pipeline', t('dashboard.pipeline'));
    const forecastCanvas = canvas('forecast', t('dashboard.forecast'));
    const activityCanvas = canvas('activity', t('dashboard.activity'));
    this.canvases = { pipeline: pipelineCanvas, forecast: forecastCanvas, activity: activityCanvas };
    this.winRate = h('div', { class: 'dashboard-win-rate' });
    this.renewals = h('tbody', {});
    this.topAccounts = h('tbody', {});
    const exportButton = h('button', { id: 'dashboard-export', type: 'button', class: 'button button-secondary no-print', title: t('dashboard.exportTitle') }, t('dashboard.export'));
    exportButton.addEventListener('click', () => void this.exportNotice.export(exportButton, () => api.exportDashboard(this.options())));
    const refreshButton = h('button', { id: 'dashboard-refresh', type: 'submit', class: 'button button-primary' }, t('dashboard.refresh'));
    const filters = h(
      'form',
      { id: 'dashboard-filters', class: 'toolbar dashboard-filters no-print', novalidate: true },
      h('div', { class: 'button-row' }, h('label', { class: 'inline-label', for: 'dashboard-from' }, t('dashboard.from')), this.from, h('label', { class: 'inline-label', for: 'dashboard-to' }, t('dashboard.to')), this.to),
      this.scopes,
      h('label', { class: 'inline-label', hidden: scopes.length === 0 }, t('dashboard.rep'), this.rep),
      h('label', { class: 'inline-label' }, t('field.deal_type'), this.dealType),
      refreshButton,
    );
    // « Actualiser », and Enter in a date field.
    filters.addEventListener('submit', (event) => {
      event.preventDefault();
      this.apply();
    });
    this.el = h(
      'section',
      { id: 'dashboard-page', class: 'page page-wide dashboard-page', dataset: { ready: 'false' } },
      h('div', { class: 'page-header' }, h('div', {}, h('h1', { class: 'page-title' }, t('dashboard.title')), this.period), exportButton),
      filters,
      this.exportNotice.el,
      this.exportNotice.error.el,
      this.error.el,
      h(
        'div',
        { class: 'dashboard-grid' },
        chartCard('dashboard-pipeline', t('dashboard.pipeline'), this.pipelineSummary, pipelineCanvas, this.panels.pipeline),
        chartCard('dashboard-forecast', t('dashboard.forecast'), this.forecastSummary, forecastCanvas, this.panels.forecast),
        h('section', { id: 'dashboard-win-rate', class: 'card dashboard-card', 'aria-labelledby': 'dashboard-win-rate-title' }, h('h2', { id: 'dashboard-win-rate-title' }, t('dashboard.winRate')), this.winRate),
        chartCard('dashboard-activity', t('dashboard.activity'), null, activityCanvas, this.panels.activity),
        tableCard('dashboard-renewals', t('dashboard.renewals'), [t('field.account'), t('field.contract'), t('contracts.renewal'), t('contracts.noticeBy'), t('dashboard.yearlyValue')], 1, this.renewals),
        tableCard('dashboard-top-accounts', t('dashboard.topAccounts'), [t('field.account'), t('dashboard.dealsWon'), t('dashboard.signed')], 2, this.topAccounts),
      ),
    );
    void this.loadDealTypes();
    void this.loadReps(scopes);
    void this.refresh();
  }

  /** The reps one may pick (a manager's team, or everyone), by name. */
  private async loadReps(scopes: DashboardScope[]): Promise<void> {
    if (scopes.length === 0) return;
    const people = await api.people().catch(() => []);
    const reps = repsFor(people, scopes, signedInUser()?.id ?? null);
    replaceChildren(this.rep, h('option', { value: '' }, t('dashboard.anyRep')), ...reps.map((p) => h('option', { value: p.id }, p.name)));
    this.rep.value = this.filters.rep ?? '';
    // A rep kept from an earlier visit whom this user may not pick: back to the scope.
    if (this.filters.rep && !reps.some((p) => p.id === this.filters.rep)) this.pickRep(scopes);
  }

  /** One rep chosen: their figures alone (the scope buttons stand down); none: the scope again. */
  private pickRep(scopes: DashboardScope[]): void {
    this.filters.rep = this.rep.value;
    this.renderScopes(scopes);
    this.apply();
  }

  /** Reloads the figures after a sync; redrawn only if they changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    const options = this.options();
    await this.reloader.run(force, async () => {
      const [dashboard, charts] = await Promise.all([api.dashboard(options), loadCharts(), loadSalesSettings()]);
      return { shown: [options, dashboard], show: () => this.show(dashboard, charts) };
    });
  }

  private options() {
    return dashboardOptions(this.filters, signedInUser()?.id ?? null);
  }

  /** Reads the filters and asks again. */
  private apply(): void {
    if (this.datesChosen) {
      this.filters.from = this.from.value;
      this.filters.to = this.to.value;
    }
    this.filters.dealType = this.dealType.value;
    this.el.dataset.ready = 'false';
    void this.refresh(true);
  }

  private async loadDealTypes(): Promise<void> {
    const settings = await loadSalesSettings();
    replaceChildren(
      this.dealType,
      h('option', { value: '' }, t('dashboard.allTypes')),
      ...settings.deal_types.map((type) => h('option', { value: type.id }, dealTypeLabel(type.id))),
    );
    this.dealType.value = this.filters.dealType;
  }

  private renderScopes(scopes: DashboardScope[]): void {
    const labels: Record<DashboardScope, string> = { me: t('dashboard.scopeMe'), team: t('dashboard.scopeTeam'), all: t('dashboard.scopeAll') };
    replaceChildren(
      this.scopes,
      ...scopes.map((scope) =>
        h(
          'button',
          {
            id: `dashboard-scope-${scope}`,
            type: 'button',
            class: scope === this.filters.scope && !this.filters.rep ? 'segment active' : 'segment',
            'aria-pressed': String(scope === this.filters.scope && !this.filters.rep),
            on: {
              click: () => {
                this.filters.scope = scope;
                this.filters.rep = '';
                this.rep.value = '';
                this.renderScopes(scopes);
                this.apply();
              },
            },
          },
          labels[scope],
        ),
      ),
    );
  }

  private show(d: Dashboard, module: ChartsModule): void {
    const { pipeline, forecast, activity } = this.canvases;
    const charts = (this.charts ??= { pipeline: new module.BarChart(pipeline), forecast: new module.BarChart(forecast), activity: new module.BarChart(activity) });
    this.lookup = new RecordLookup();
    this.error.clear();
    this.period.textContent = t('dashboard.period', { from: formatCalendarDate(d.from), to: formatCalendarDate(d.to) });
    // Until the user chooses, the inputs show the period answered (still sent as « none »).
    if (!this.datesChosen) {
      this.from.value = d.from;
      this.to.value = d.to;
    }
    for (const panel of Object.values(this.panels)) panel.close();
    this.drawPipeline(d, charts.pipeline);
    this.drawForecast(d, charts.forecast);
    this.drawActivity(d, charts.activity);
    this.showWinRate(d);
    this.showRenewals(d);
    this.showTopAccounts(d);
    this.el.dataset.ready = 'true';
  }

  private drawPipeline(d: Dashboard, chart: BarChart): void {
    const mixed = mixesDealTypes(d.pipeline);
    const labels = d.pipeline.map((line) => pipelineLineLabel(line, mixed));
    const count = d.pipeline.reduce((sum, line) => sum + line.count, 0);
    this.pipelineSummary.textContent = t('dashboard.pipelineTotal', {
      deals: tCount('dashboard.deals', count),
      amount: formatMoney(d.pipeline_amount),
      weighted: formatMoney(d.pipeline_weighted),
    });
    chart.draw({
      labels,
      money: true,
      datasets: [
        { label: t('reports.amount'), data: d.pipeline.map((line) => chartAmount(line.amount)), colour: COLOURS.lightBlue },
        { label: t('reports.weighted'), data: d.pipeline.map((line) => chartAmount(line.weighted)), colour: COLOURS.blue },
      ],
      onPick: (_dataset, index) => {
        const line = d.pipeline[index];
        if (line) this.panels.pipeline.open({ kind: 'deal', ids: line.ids, title: labels[index] ?? '' });
      },
    });
  }

  private drawForecast(d: Dashboard, chart: BarChart): void {
    const months = forecastMonths(d.forecast);
    const labels = months.map((month) => monthLabel(month.month));
    this.forecastSummary.textContent = t('dashboard.forecastTotal', { weighted: formatMoney(sumAmounts(months.map((month) => month.weighted))) });
    chart.draw({
      labels,
      money: true,
      datasets: [
        { label: t('reports.weighted'), data: months.map((month) => chartAmount(month.weighted)), colour: COLOURS.blue },
        { label: t('reports.amount'), data: months.map((month) => chartAmount(month.amount)), colour: COLOURS.lightBlue },
      ],
      onPick: (_dataset, index) => {
        const month = months[index];
        if (month) this.panels.forecast.open({ kind: 'deal', ids: month.ids, title: t('dashboard.forecastOf', { month: labels[index] ?? '' }) });
      },
    });
  }

  private drawActivity(d: Dashboard, chart: BarChart): void {
    const series = activitySeries(d.activity);
    const kinds = [
      { key: 'visits', label: t('reports.visits'), colour: COLOURS.blue, keep: ['visit'] },
      { key: 'calls', label: t('reports.calls'), colour: COLOURS.green, keep: ['call'] },
      { key: 'others', label: t('dashboard.otherActivities'), colour: COLOURS.amber, keep: ['note', 'email', 'meeting'] },
    ] as const;
    const several = series.reps.length > 1;
    const datasets: BarDataset[] = [];
    const picks: Array<{ rep: number; kind: number }> = [];
    series.reps.forEach((rep, r) => {
      kinds.forEach((kind, k) => {
        // One stack per rep; their shades tell the reps apart, the hue the kind.
        const shade = several ? `${kind.colour}${['ff', 'b3', '73'][r % 3]}` : kind.colour;
        datasets.push({ label: several ? `${rep.name} — ${kind.label}` : kind.label, data: rep[kind.key], colour: shade, stack: rep.user });
        picks.push({ rep: r, kind: k });
      });
    });
    const labels = series.weeks.map(weekLabel);
    chart.draw({
      labels,
      money: false,
      stacked: true,
      datasets,
      onPick: (dataset, index) => {
        const pick = picks[dataset];
        const rep = pick && series.reps[pick.rep];
        const kind = pick && kinds[pick.kind];
        if (!rep || !kind) return;
        const keep = kind.keep as readonly string[];
        this.panels.activity.open({
          kind: 'activity',
          ids: rep.ids[index] ?? [],
          title: `${rep.name} — ${kind.label} — ${labels[index] ?? ''}`,
          keep: (entry) => keep.includes(entry.kind ?? ''),
        });
      },
    });
  }

  private showWinRate(d: Dashboard): void {
    const rate = d.win_rate;
    const panel = new RecordsPanel(() => this.lookup);
    const cycle = cycleText(rate.average_cycle_days);
    replaceChildren(
      this.winRate,
      h('p', { id: 'dashboard-win-rate-value', class: 'dashboard-big-number' }, winRateText(rate.rate_percent)),
      rate.rate_percent === null ? h('p', { class: 'muted' }, t('dashboard.nothingClosed')) : null,
      h(
        'div',
        { class: 'figures' },
        figure(panel, 'deals-won', t('dashboard.won'), rate.won.count, { kind: 'deal', ids: rate.won.ids }, rate.won.amount),
        figure(panel, 'deals-lost', t('dashboard.lost'), rate.lost.count, { kind: 'deal', ids: rate.lost.ids }, rate.lost.amount),
      ),
      cycle ? h('p', { id: 'dashboard-cycle', class: 'dashboard-cycle' }, cycle) : null,
      panel.el,
    );
  }

  private showRenewals(d: Dashboard): void {
    if (d.renewals.length === 0) {
      replaceChildren(this.renewals, emptyRow(5, t('dashboard.noRenewals')));
      return;
    }
    replaceChildren(
      this.renewals,
      ...d.renewals.map((renewal) =>
        clickableRow(
          { class: 'clickable', dataset: { id: renewal.id } },
          () => navigate({ name: 'contract', id: renewal.id }),
          h('td', {}, accountLink(renewal.account, renewal.account_name)),
          h('td', {}, renewal.label ? contractTypeLabel(renewal.label) : t('field.contract')),
          h('td', {}, formatCalendarDate(renewal.renewal)),
          h('td', {}, renewal.notice_deadline ? formatCalendarDate(renewal.notice_deadline) : h('span', { class: 'muted' }, '—')),
          h('td', { class: 'numeric' }, formatMoney(renewal.yearly_value)),
        ),
      ),
    );
  }

  private showTopAccounts(d: Dashboard): void {
    if (d.top_accounts.length === 0) {
      replaceChildren(this.topAccounts, emptyRow(3, t('dashboard.noTopAccounts')));
      return;
    }
    const panelRow = h('tr', { class: 'records-row' });
    const panel = new RecordsPanel(() => this.lookup, panelRow);
    panelRow.append(h('td', { colSpan: 3 }, panel.el));
    replaceChildren(
      this.topAccounts,
      ...d.top_accounts.map((top) =>
        h(
          'tr',
          { dataset: { id: top.account } },
          h('td', {}, accountLink(top.account, top.name)),
          h('td', { class: 'numeric' }, panel.figure(String(top.count), { kind: 'deal', ids: top.ids, title: t('dashboard.wonWith', { name: top.name || t('pipeline.unknownAccount') }) })),
          h('td', { class: 'numeric' }, formatMoney(top.amount)),
        ),
      ),
      panelRow,
    );
  }
}

/** An account's name, a link to its page (a click on it does not also open the row). */
function accountLink(id: string, name: string): HTMLElement {
  const link = routeLink({ name: 'account', id }, { class: 'card-link' }, name || t('pipeline.unknownAccount'));
  link.addEventListener('click', (event) => event.stopPropagation());
  return link;
}

function emptyRow(columns: number, text: string): HTMLElement {
  return h('tr', {}, h('td', { class: 'list-empty', colSpan: columns }, text));
}

function chartCard(id: string, title: string, summary: HTMLElement | null, canvas: HTMLCanvasElement, panel: RecordsPanel): HTMLElement {
  return h(
    'section',
    { id, class: 'card dashboard-card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    summary,
    h('div', { class: 'chart-box' }, canvas),
    h('p', { class: 'chart-hint muted no-print' }, t('dashboard.chartHint')),
    panel.el,
  );
}

/** A card with a table whose last `numeric` columns are figures. */
function tableCard(id: string, title: string, headers: string[], numeric: number, body: HTMLElement): HTMLElement {
  const cells: Child[] = headers.map((text, i) => h('th', { class: i >= headers.length - numeric ? 'numeric' : '' }, text));
  return h(
    'section',
    { id, class: 'card dashboard-card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table' }, h('thead', {}, h('tr', {}, ...cells)), body)),
  );
}
