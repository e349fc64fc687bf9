//! « Rapports »: the week of an ISO week (this week by default, `#/reports/2026-W49` for
//! another), « Semaine précédente », « Cette semaine » and « Semaine suivante » to move.
//! A sales manager opens on their team (`ReportTeam`) and may switch to their own week;
//! everyone else sees their own week (`ReportWeek`) with the box that sends it to their
//! manager (`ReportSubmit`). « PDF » and « Excel » write the week shown in the user's
//! documents and say where. Every figure opens the records behind it. The page prints
//! without the sidebar, the header nor its buttons. Once the first answer is drawn the
//! page carries `data-ready="true"`.

import { api, type RepReport, type TeamReport } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { Reloader } from '../reload';
import { defaultReportView, hasNextWeek, hasTeamView, weekTitle, type ReportView } from '../reports';
import { navigate } from '../router';
import { signedInUser } from '../session';
import { loadSalesSettings } from '../stages';
import { currentWeek, mondayOfWeek, parseWeek, shiftWeek, sundayOfWeek, weekText, type IsoWeek } from '../weeks';
import { ExportNotice } from './ExportNotice';
import { FormError, messageOf } from './FormField';
import { RecordLookup } from './RecordLinks';
import { ReportSubmit } from './ReportSubmit';
import { teamWeek } from './ReportTeam';
import { ownWeek } from './ReportWeek';

export interface ReportsPageActions {
  /** A report was sent: the pending changes went up by one. */
  onChanged: () => void;
}

/** The view a manager chose, kept while the app runs. */
let chosenView: ReportView | null = null;

export class ReportsPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private readonly toggle: HTMLElement;
  private readonly nextButton: HTMLButtonElement;
  private readonly submitBox: ReportSubmit;
  private readonly exportNotice = new ExportNotice('report-export-result');
  private readonly error = new FormError();
  private readonly reloader = new Reloader((reason) => {
    this.error.show(messageOf(reason));
    // Nothing more will come: the page is as ready as it will be.
    this.el.dataset.ready = 'true';
  });
  /** The week shown; `requested` is null for « this week » (the core picks it in Paris). */
  private readonly week: IsoWeek;
  private readonly requested: string | null;
  private readonly role = signedInUser()?.role ?? null;
  private view: ReportView;
  /** Names of the records behind the figures, read again after each reload. */
  private lookup = new RecordLookup();

  constructor(week: string | null, private readonly actions: ReportsPageActions) {
    const parsed = parseWeek(week);
    this.week = parsed ?? currentWeek();
    this.requested = parsed ? weekText(parsed) : null;
    this.view = hasTeamView(this.role) ? (chosenView ?? defaultReportView(this.role)) : 'mine';
    this.title = h('div', { id: 'report-week', class: 'page-subtitle' }, weekTitle({ week: weekText(this.week), from: mondayOfWeek(this.week), to: sundayOfWeek(this.week) }));
    this.body = h('div', { id: 'report-body', class: 'report-body' }, h('p', { class: 'list-empty' }, t('account.loading')));
    this.submitBox = new ReportSubmit(() => this.actions.onChanged());
    this.toggle = h('div', { id: 'report-views', class: 'segmented', role: 'group', 'aria-label': t('reports.viewLabel'), hidden: !hasTeamView(this.role) });
    const weekButton = (id: string, label: string, shift: number | null) =>
      h('button', { id, type: 'button', class: 'button button-secondary', on: { click: () => this.goTo(shift) } }, label);
    this.nextButton = weekButton('report-next', t('reports.nextWeek'), 1);
    this.nextButton.disabled = !hasNextWeek(this.week, currentWeek());
    const exportButton = (id: string, label: string, format: 'pdf' | 'xlsx', title: string) => {
      const button = h('button', { id, type: 'button', class: 'button button-secondary', title }, label);
      button.addEventListener('click', () => void this.exportNotice.export(button, () => api.exportReport(this.requested, this.view === 'team', format)));
      return button;
    };
    this.el = h(
      'section',
      { id: 'reports-page', class: 'page page-wide reports-page', dataset: { ready: 'false' } },
      h(
        'div',
        { class: 'page-header' },
        h('div', {}, h('h1', { class: 'page-title' }, t('reports.title')), this.title),
        h(
          'div',
          { class: 'button-row no-print', role: 'group', 'aria-label': t('reports.exportLabel') },
          exportButton('report-pdf', t('reports.pdf'), 'pdf', t('reports.pdfTitle')),
          exportButton('report-xlsx', t('reports.excel'), 'xlsx', t('reports.excelTitle')),
        ),
      ),
      h(
        'div',
        { class: 'toolbar no-print' },
        h(
          'div',
          { class: 'button-group', role: 'group', 'aria-label': t('reports.weekNav') },
          weekButton('report-prev', t('reports.previousWeek'), -1),
          weekButton('report-this-week', t('reports.thisWeek'), null),
          this.nextButton,
        ),
        this.toggle,
      ),
      this.exportNotice.el,
      this.exportNotice.error.el,
      this.error.el,
      this.body,
    );
    this.renderToggle();
    void this.refresh();
  }

  /** Reloads the week after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    const view = this.view;
    await this.reloader.run(force, async () => {
      const lookup = new RecordLookup();
      if (view === 'team') {
        // The stages' and deal types' labels come with the company's settings.
        const [team] = await Promise.all([api.teamReport(this.requested), loadSalesSettings()]);
        return { shown: [view, team], show: () => this.showTeam(team, lookup) };
      }
      const [mine, accountNames] = await Promise.all([api.weeklyReport(this.requested), lookup.accountNames(), loadSalesSettings()]);
      return { shown: [view, mine, [...accountNames]], show: () => this.showMine(mine, lookup, accountNames) };
    });
  }

  private showTeam(team: TeamReport, lookup: RecordLookup): void {
    this.lookup = lookup;
    this.showTitle(team);
    replaceChildren(this.body, ...teamWeek(team, () => this.lookup));
    this.ready();
  }

  private showMine(mine: RepReport, lookup: RecordLookup, accountNames: Map<string, string>): void {
    this.lookup = lookup;
    this.showTitle(mine);
    this.submitBox.update(mine, this.requested);
    // Sending the week is the page's one action: it comes first, the figures under it.
    replaceChildren(this.body, this.submitBox.el, ...ownWeek(mine, { lookup: () => this.lookup, accountNames }));
    this.ready();
  }

  private showTitle(report: { week: string; from: string; to: string }): void {
    this.title.textContent = weekTitle(report);
  }

  private ready(): void {
    this.error.clear();
    this.el.dataset.ready = 'true';
  }

  /** Another week: `shift` weeks from the one shown, or this week when null. */
  private goTo(shift: number | null): void {
    navigate(shift === null ? { name: 'reports' } : { name: 'reports', week: weekText(shiftWeek(this.week, shift)) });
  }

  private renderToggle(): void {
    const segment = (view: ReportView, label: string) =>
      h(
        'button',
        {
          id: `report-view-${view}`,
          type: 'button',
          class: view === this.view ? 'segment active' : 'segment',
          'aria-pressed': String(view === this.view),
          on: { click: () => this.switchTo(view) },
        },
        label,
      );
    replaceChildren(this.toggle, segment('team', t('reports.viewTeam')), segment('mine', t('reports.viewMine')));
  }

  private switchTo(view: ReportView): void {
    if (view === this.view) return;
    this.view = view;
    chosenView = view;
    this.el.dataset.ready = 'false';
    this.renderToggle();
    this.exportNotice.el.hidden = true;
    replaceChildren(this.body, h('p', { class: 'list-empty' }, t('account.loading')));
    void this.refresh(true);
  }
}
