//! « Campagnes », marketing's e-mailing campaigns: those still to send first, then the
//! last sent. Each row shows the name and who it goes to (the segment in words), the
//! status by its label, how many e-mails went and when. « Nouvelle campagne » (marketing,
//! administrators) writes a draft; sales managers read the list. A row opens the campaign.

import { api, type Campaign, type Person } from '../api';
import { segmentWords, sentCount, sortCampaigns } from '../campaigns';
import { h, replaceChildren } from '../dom';
import { formatDateTime } from '../format';
import { t, tCount } from '../i18n';
import { Reloader } from '../reload';
import { navigate } from '../router';
import { may } from '../session';
import { CampaignForm } from './CampaignForm';
import { FormError, messageOf } from './FormField';
import { clickableRow, newFormClosers, newRecordButton, pageHeader, showEmptyRow, tableCard } from './ListPage';
import { campaignStatusTag } from './ServiceBadges';

export interface CampaignsPageActions {
  onChanged: () => void;
}

export class CampaignsPage {
  readonly el: HTMLElement;
  private readonly table: HTMLTableSectionElement;
  private readonly count: HTMLElement;
  private readonly newButton: HTMLButtonElement;
  private readonly form: CampaignForm;
  private readonly error = new FormError();
  private campaigns: Campaign[] = [];
  private people: Person[] = [];
  private loaded = false;
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor(private readonly actions: CampaignsPageActions) {
    this.table = h('tbody', {});
    this.count = h('div', { id: 'campaigns-count', class: 'page-subtitle' });
    this.newButton = newRecordButton('new-campaign-button', 'campaign', t('campaigns.new'), () => this.openForm());
    this.form = new CampaignForm(...newFormClosers(this.newButton, () => this.actions.onChanged(), (campaign: Campaign) => navigate({ name: 'campaign', id: campaign.id })));
    this.el = h(
      'section',
      { id: 'campaigns-page', class: 'page' },
      pageHeader(t('campaigns.title'), this.count, this.newButton),
      this.form.el,
      this.error.el,
      tableCard(
        'campaigns-table',
        [
          h('th', {}, t('campaigns.colCampaign')),
          h('th', {}, t('field.status')),
          h('th', { class: 'numeric' }, t('campaigns.colSent')),
          h('th', {}, t('campaigns.colSentAt')),
        ],
        this.table,
      ),
    );
    this.render();
    void this.refresh();
  }

  /** Reloads the data after a sync (a sending's status comes back by it); the screen is
   *  redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const [campaigns, people] = await Promise.all([
        api.listCampaigns().then(sortCampaigns),
        // Names only, for a segment on a rep (`owner=<id>`): the id is shown without them.
        api.people().catch((): Person[] => []),
      ]);
      return {
        shown: [campaigns, people],
        show: () => {
          this.campaigns = campaigns;
          this.people = people;
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
    this.count.textContent = this.loaded ? tCount('campaigns.count', this.campaigns.length) : '';
    if (this.campaigns.length === 0) {
      const text = !this.loaded ? t('account.loading') : may('create', 'campaign') ? t('campaigns.emptyCreate') : t('campaigns.empty');
      showEmptyRow(this.table, 4, text);
      return;
    }
    replaceChildren(this.table, ...this.campaigns.map((campaign) => this.row(campaign)));
  }

  private row(campaign: Campaign): HTMLElement {
    const nameOf = (id: string) => this.people.find((person) => person.id === id)?.name ?? null;
    const open = () => navigate({ name: 'campaign', id: campaign.id });
    return clickableRow(
      { class: 'clickable campaign-row', dataset: { id: campaign.id } },
      open,
      h(
        'td',
        { class: 'cell-stack' },
        h('span', { class: 'strong campaign-name' }, campaign.name),
        h('span', { class: 'muted campaign-segment' }, segmentWords(campaign.segment ?? '', nameOf).join(' · ')),
      ),
      h('td', {}, campaignStatusTag(campaign.status)),
      h('td', { class: 'numeric campaign-sent-count' }, campaign.sent_at ? String(sentCount(campaign)) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'nowrap campaign-sent-at' }, campaign.sent_at ? formatDateTime(campaign.sent_at) : h('span', { class: 'muted' }, t('campaigns.notSent'))),
    );
  }
}
