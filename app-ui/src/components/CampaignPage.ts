//! The page of one campaign: its status and when it went; its message (the subject and
//! the text); who it reaches, as this device sees it (the segment in words, « 42
//! destinataires dans 12 tiers », those left out without e-mailing consent or without an
//! address, and the recipients by name, e-mail and account). « Envoyer » (marketing,
//! administrators) asks once with the number of e-mails, has the server send them (online
//! only), shows a bar meanwhile, then what the sending did (« 42 e-mails envoyés… »). A
//! sent campaign is not offered for sending again; one whose sending reached only some
//! recipients is, for the others. Sales managers read the page.

import { api, type CampaignPreview, type CampaignSent, type Person } from '../api';
import { isPartlySent, isSent, previewCounts, segmentWords, sendReportLines, sentCount } from '../campaigns';
import { h, replaceChildren } from '../dom';
import { formatDateTime } from '../format';
import { t, tCount } from '../i18n';
import { routeToHash } from '../router';
import { may } from '../session';
import { ConfirmBar } from './ConfirmBar';
import { FormError, messageOf, whileBusy } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { showEmptyRow } from './ListPage';
import { RecordLoader, recordPage, titledCard, withPeople } from './RecordPage';
import { campaignStatusTag } from './ServiceBadges';

/** The recipients listed at most: the counts above say how many there are. */
const RECIPIENTS_SHOWN = 300;

export interface CampaignPageActions {
  onChanged: () => void;
}

export class CampaignPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly confirm = new ConfirmBar('campaign-confirm');
  private readonly progress: HTMLElement;
  private readonly progressText: HTMLElement;
  private readonly report: HTMLElement;
  private readonly actionError = new FormError();
  private readonly partlySent: HTMLElement;
  private readonly subject: HTMLElement;
  private readonly text: HTMLElement;
  private readonly segment: HTMLElement;
  private readonly counts: HTMLUListElement;
  private readonly recipients: HTMLTableSectionElement;
  private readonly changes: HistoryPanel;
  private readonly maySend = may('edit', 'campaign');
  private preview: CampaignPreview | null = null;
  private sending = false;
  private readonly loader: RecordLoader;

  constructor(private readonly campaignId: string, private readonly actions: CampaignPageActions) {
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { id: 'campaign-subtitle', class: 'page-subtitle' });
    this.sendButton = h(
      'button',
      { id: 'campaign-send', type: 'button', class: 'button button-primary', hidden: true, on: { click: () => void this.send() } },
      t('campaign.send'),
    );
    this.progressText = h('p', { id: 'campaign-progress-text', class: 'import-progress-text', 'aria-live': 'polite' });
    // Without a value: the server says nothing until it is done.
    this.progress = h('div', { id: 'campaign-progress', class: 'import-progress', hidden: true }, h('progress', { class: 'import-progress-bar' }), this.progressText);
    this.report = h('div', { id: 'campaign-report', class: 'form-notice campaign-report', role: 'status', hidden: true });
    this.partlySent = h('p', { id: 'campaign-partly-sent', class: 'callout', hidden: true }, t('campaign.partlySent'));
    this.subject = h('p', { id: 'campaign-subject', class: 'campaign-subject' });
    this.text = h('div', { id: 'campaign-text', class: 'campaign-text' });
    this.segment = h('div', { id: 'campaign-segment', class: 'campaign-segment' });
    this.counts = h('ul', { id: 'campaign-counts', class: 'campaign-counts' });
    this.recipients = h('tbody', {});
    this.changes = new HistoryPanel(campaignId, 'campaign');
    this.loader = new RecordLoader(this.error, 'campaign.notFound', this.changes);

    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      this.confirm.el,
      this.progress,
      this.report,
      this.actionError.el,
      this.partlySent,
      this.maySend ? null : h('p', { id: 'campaign-read-only', class: 'muted' }, t('campaign.readOnly')),
      h(
        'div',
        { class: 'columns campaign-columns' },
        titledCard(
          { id: 'campaign-message', titleId: 'campaign-message-title', title: t('campaign.message') },
          this.subject,
          this.text,
          h('p', { class: 'hint-line' }, t('campaigns.bodyHint')),
        ),
        titledCard(
          { id: 'campaign-preview', titleId: 'campaign-preview-title', title: t('campaign.recipientsTitle') },
          this.segment,
          this.counts,
          h('p', { class: 'hint-line' }, t('campaign.previewNote')),
          h(
            'div',
            { class: 'table-scroll campaign-recipients' },
            h(
              'table',
              { id: 'campaign-recipients', class: 'data-table' },
              h('thead', {}, h('tr', {}, h('th', {}, t('campaign.colContact')), h('th', {}, t('campaign.colEmail')), h('th', {}, t('campaign.colAccount')))),
              this.recipients,
            ),
          ),
        ),
      ),
      this.changes.el,
    );
    this.el = recordPage({
      id: 'campaign-page',
      recordId: campaignId,
      back: { name: 'campaigns' },
      backLabel: t('campaigns.title'),
      header: [this.title, this.subtitle, this.sendButton],
      error: this.error.el,
      body: this.body,
    });
    void this.refresh();
  }

  /** Reloads the data after a sync (a sending's status and count come back by it); the
   *  screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    // Names only, for a segment on a rep (`owner=<id>`): the id is shown without them.
    await this.loader.reload(force, () => withPeople(api.campaignPreview(this.campaignId)), ([preview, people]) => {
      this.preview = preview;
      this.render(preview, people);
    });
  }

  private render(preview: CampaignPreview, people: Person[]): void {
    const campaign = preview.campaign;
    this.title.textContent = campaign.name;
    replaceChildren(
      this.subtitle,
      campaignStatusTag(campaign.status),
      campaign.sent_at ? h('span', { id: 'campaign-sent-on' }, tCount('campaign.sentOn', sentCount(campaign), { date: formatDateTime(campaign.sent_at) })) : null,
    );
    this.subject.textContent = campaign.subject ?? '';
    this.text.textContent = campaign.body ?? '';
    // Said to those who may send it again; the others see the status.
    this.partlySent.hidden = !this.maySend || !isPartlySent(campaign);

    const nameOf = (id: string) => people.find((person) => person.id === id)?.name ?? null;
    const segment = campaign.segment?.trim() ?? '';
    replaceChildren(
      this.segment,
      h('p', { class: 'segment-words' }, segmentWords(segment, nameOf).join(' · ')),
      segment ? h('p', { class: 'muted mono campaign-segment-text' }, t('campaign.segmentText', { text: segment })) : null,
    );
    const counts = previewCounts(preview);
    replaceChildren(
      this.counts,
      h('li', { id: 'campaign-recipient-count', class: 'strong' }, counts.recipients),
      h('li', { id: 'campaign-no-consent' }, counts.noConsent),
      h('li', { id: 'campaign-no-email' }, counts.noEmail),
    );
    this.renderRecipients(preview);
    this.updateSendButton();
    this.body.hidden = false;
  }

  private renderRecipients(preview: CampaignPreview): void {
    if (preview.recipients.length === 0) {
      showEmptyRow(this.recipients, 3, t('campaign.noRecipients'));
      return;
    }
    const shown = preview.recipients.slice(0, RECIPIENTS_SHOWN);
    const more = preview.recipients.length - shown.length;
    replaceChildren(
      this.recipients,
      ...shown.map((recipient) =>
        h(
          'tr',
          { class: 'campaign-recipient', dataset: { id: recipient.contact } },
          h('td', {}, h('a', { href: routeToHash({ name: 'contact', id: recipient.contact }) }, recipient.name)),
          h('td', {}, recipient.email),
          h('td', {}, recipient.account_name),
        ),
      ),
      more > 0 ? h('tr', {}, h('td', { class: 'muted', colSpan: 3 }, tCount('campaign.more', more))) : null,
    );
  }

  /** « Envoyer » for those who may send, not for a sent campaign nor without recipients;
   *  its tooltip says why it is off, or that it needs the network. */
  private updateSendButton(): void {
    const preview = this.preview;
    this.sendButton.hidden = !this.maySend || !preview;
    if (!preview) return;
    const sent = isSent(preview.campaign);
    const nobody = preview.recipients.length === 0;
    this.sendButton.disabled = this.sending || sent || nobody;
    this.sendButton.title = sent ? t('campaign.sentTitle') : nobody ? t('campaign.nobodyTitle') : t('campaign.sendTitle');
  }

  private async send(): Promise<void> {
    const preview = this.preview;
    if (!preview || this.sending) return;
    this.actionError.clear();
    this.report.hidden = true;
    const count = preview.recipients.length;
    const name = preview.campaign.name;
    const resume = isPartlySent(preview.campaign);
    const yes = await this.confirm.ask({
      question: resume ? tCount('campaign.resumeQuestion', count, { name }) : tCount('campaign.sendQuestion', count, { name }),
      yesLabel: resume ? t('campaign.resumeYes') : tCount('campaign.sendYes', count),
      yesId: 'campaign-send-yes',
      noId: 'campaign-send-no',
    });
    if (!yes) {
      this.sendButton.focus();
      return;
    }
    this.sending = true;
    this.progressText.textContent = tCount('campaign.sending', count);
    this.progress.hidden = false;
    await whileBusy(this.sendButton, t('campaign.sendingButton'), async () => {
      try {
        const report = await api.sendCampaign(this.campaignId);
        this.showReport(report);
        this.actions.onChanged();
        await this.refresh(true);
      } catch (reason) {
        this.actionError.show(messageOf(reason));
      } finally {
        this.progress.hidden = true;
      }
    });
    this.sending = false;
    // whileBusy gave the button back: a campaign sent now keeps it off.
    this.updateSendButton();
  }

  private showReport(report: CampaignSent): void {
    replaceChildren(
      this.report,
      h('p', { class: 'campaign-report-title' }, t('campaign.reportTitle')),
      h('ul', { id: 'campaign-report-lines' }, ...sendReportLines(report).map((line) => h('li', {}, line))),
    );
    this.report.classList.toggle('with-failures', report.failed > 0);
    this.report.hidden = false;
  }
}
