//! « Pistes », the lead inbox: every lead on this device, best score first (the core's
//! order), with its score as a badge, the person and their company, where it comes from,
//! its status, who follows it (« File marketing » while no rep has it) and when it came
//! in. A status list and a text filter narrow it; « Nouvelle piste » enters one by hand.
//! A row opens the lead. A rep sees their own leads, marketing and managers everyone's.

import { api, type LeadView } from '../api';
import { h, replaceChildren } from '../dom';
import { choiceLabel, choicesOf, formatDateTime } from '../format';
import { t, tCount } from '../i18n';
import { leadMatches, leadOwnerLabel } from '../leads';
import { Reloader } from '../reload';
import { navigate } from '../router';
import { filterBox, filterInput } from './FilterBox';
import { FormError, messageOf } from './FormField';
import { clickableRow, newFormClosers, newRecordButton, pageHeader, showEmptyRow, tableCard } from './ListPage';
import { LeadForm } from './LeadForm';
import { leadStatusTag, scoreBadge } from './ServiceBadges';

export interface LeadsPageActions {
  onChanged: () => void;
}

/** The status chosen in the list, kept while the app runs. */
let chosenStatus = '';

export class LeadsPage {
  readonly el: HTMLElement;
  private readonly table: HTMLTableSectionElement;
  private readonly count: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly status: HTMLSelectElement;
  private readonly newButton: HTMLButtonElement;
  private readonly form: LeadForm;
  private readonly error = new FormError();
  private leads: LeadView[] = [];
  private loaded = false;
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor(private readonly actions: LeadsPageActions) {
    this.table = h('tbody', {});
    this.count = h('div', { id: 'leads-count', class: 'page-subtitle' });
    this.filter = filterInput({ id: 'leads-filter', placeholder: t('leads.filter'), onInput: () => this.render(), onEscape: () => this.render() });
    this.status = h(
      'select',
      {
        id: 'leads-status',
        class: 'compact-select',
        'aria-label': t('field.status'),
        on: {
          change: () => {
            chosenStatus = this.status.value;
            void this.refresh(true);
          },
        },
      },
      h('option', { value: '' }, t('leads.anyStatus')),
      ...choicesOf('lead.status').map((c) => h('option', { value: c.id }, choiceLabel([c], c.id))),
    );
    this.status.value = chosenStatus;
    this.newButton = newRecordButton('new-lead-button', 'lead', t('leads.new'), () => this.openForm());
    this.form = new LeadForm(...newFormClosers(this.newButton, () => this.actions.onChanged(), (lead: LeadView) => navigate({ name: 'lead', id: lead.lead.id })));
    this.el = h(
      'section',
      { id: 'leads-page', class: 'page' },
      pageHeader(t('leads.title'), this.count, this.newButton),
      this.form.el,
      h('div', { class: 'toolbar' }, h('div', { class: 'button-row' }, this.status), filterBox(this.filter)),
      this.error.el,
      tableCard(
        'leads-table',
        [
          h('th', { class: 'numeric' }, t('leads.colScore')),
          h('th', {}, t('leads.colLead')),
          h('th', {}, t('field.source')),
          h('th', {}, t('field.status')),
          h('th', {}, t('field.owner')),
          h('th', {}, t('leads.colReceived')),
        ],
        this.table,
      ),
    );
    this.render();
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const status = this.status.value;
      const leads = await api.listLeads(status);
      return {
        shown: [status, leads],
        show: () => {
          this.leads = leads;
          this.loaded = true;
          this.error.clear();
          this.render();
        },
      };
    });
  }

  private openForm(): void {
    this.newButton.hidden = true;
    this.form.open();
  }

  private render(): void {
    const rows = this.leads.filter((lead) => leadMatches(lead, this.filter.value));
    this.count.textContent = this.loaded ? tCount('leads.count', this.leads.length) : '';
    if (rows.length === 0) {
      const text = !this.loaded ? t('account.loading') : this.leads.length === 0 && !this.status.value ? t('leads.empty') : t('leads.noMatch');
      showEmptyRow(this.table, 6, text);
      return;
    }
    replaceChildren(this.table, ...rows.map((lead) => this.row(lead)));
  }

  private row(view: LeadView): HTMLElement {
    const lead = view.lead;
    const open = () => navigate({ name: 'lead', id: lead.id });
    return clickableRow(
      { class: 'clickable lead-row', dataset: { id: lead.id, score: String(view.score.score) } },
      open,
      h('td', { class: 'numeric' }, scoreBadge(view.score.score)),
      h(
        'td',
        { class: 'cell-stack' },
        h('span', { class: 'strong lead-name' }, lead.name),
        lead.company ? h('span', { class: 'muted lead-company' }, lead.company) : null,
      ),
      h('td', {}, lead.source ? lead.source : h('span', { class: 'muted' }, '—')),
      h('td', {}, leadStatusTag(lead.status)),
      h('td', { class: 'lead-owner' }, leadOwnerLabel(view)),
      h('td', { class: 'nowrap' }, lead.received_at ? formatDateTime(lead.received_at) : h('span', { class: 'muted' }, '—')),
    );
  }
}
