//! The page of one lead: who it is and how to reach them, its score with each reason and
//! its points (crm-core's rules), and what to do next. « Qualifier » hands it to a rep
//! picked by name; « Disqualifier » asks why; « Convertir » (for the roles that may
//! create accounts and deals: reps, managers, administrators, never marketing) asks once
//! and then says what it made or reused, with links to the account, the contact and the
//! deal. A converted lead shows what it became instead of the actions.

import { api, type Converted, type LeadView, type Person } from '../api';
import { h, replaceChildren } from '../dom';
import { choiceLabel, choicesOf, formatDateTime, formatPhone } from '../format';
import { t } from '../i18n';
import { convertedLines, formatPoints, leadOwnerLabel, type ConvertedLine } from '../leads';
import { recordRoute, routeToHash } from '../router';
import { reassignCandidates } from '../people';
import { may, mayOn, reach, signedInUser } from '../session';
import { ConfirmBar } from './ConfirmBar';
import { definitionRows, type DefinitionRow } from './DefinitionList';
import { FormError, formField, messageOf, whileBusy } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { RecordLoader, recordPage, titledCard, withPeople } from './RecordPage';
import { leadStatusTag, scoreBadge } from './ServiceBadges';

export interface LeadPageActions {
  onChanged: () => void;
}

export class LeadPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly scoreBox: HTMLElement;
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly details: HTMLElement;
  private readonly scoreTotal: HTMLElement;
  private readonly reasons: HTMLUListElement;
  private readonly actionsCard: HTMLElement;
  private readonly convertedCard: HTMLElement;
  private readonly convertedList: HTMLUListElement;
  private readonly notice: HTMLElement;
  private readonly confirm = new ConfirmBar('lead-confirm');
  private readonly actionError = new FormError();
  private readonly rep: HTMLSelectElement;
  private readonly repField: HTMLElement;
  private readonly qualifyButton: HTMLButtonElement;
  private readonly disqualifyButton: HTMLButtonElement;
  private readonly convertForm: HTMLFormElement | null;
  private readonly convertButton: HTMLButtonElement;
  private readonly dealTitle: HTMLInputElement;
  private readonly amount: HTMLInputElement;
  private readonly changes: HistoryPanel;
  private view: LeadView | null = null;
  private people: Person[] = [];
  /** What the conversion made on this page said with its own words (created or reused). */
  private justConverted: ConvertedLink[] | null = null;
  private readonly loader: RecordLoader;

  constructor(private readonly leadId: string, private readonly actions: LeadPageActions) {
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.scoreBox = h('div', { id: 'lead-score-badge', class: 'score-box' });
    this.details = h('dl', { id: 'lead-details', class: 'details' });
    this.scoreTotal = h('p', { id: 'lead-score-total', class: 'score-total' });
    this.reasons = h('ul', { id: 'lead-reasons', class: 'score-reasons' });
    this.notice = h('p', { id: 'lead-notice', class: 'form-notice', role: 'status', hidden: true });
    this.changes = new HistoryPanel(leadId, 'lead');
    this.loader = new RecordLoader(this.error, 'lead.notFound', this.changes);

    // « Qualifier »: the rep is picked by name; the value sent is their e-mail.
    this.rep = h('select', { id: 'lead-rep', name: 'rep' });
    this.repField = formField(t('lead.qualifyTo'), this.rep, { hint: t('lead.qualifyHint') });
    this.qualifyButton = h('button', { id: 'lead-qualify', type: 'submit', class: 'button button-primary' }, t('lead.qualify'));
    const qualifyForm = h(
      'form',
      { id: 'lead-qualify-form', class: 'inline-action lead-action', novalidate: true, on: { submit: (event) => { event.preventDefault(); void this.qualify(); } } },
      this.repField,
      this.qualifyButton,
    );
    this.disqualifyButton = h(
      'button',
      { id: 'lead-disqualify', type: 'button', class: 'button button-secondary', on: { click: () => void this.disqualify() } },
      t('lead.disqualify'),
    );

    // « Convertir »: only for the roles that may create the account and the deal.
    this.dealTitle = h('input', { id: 'lead-deal-title', name: 'title', type: 'text', autocomplete: 'off' });
    this.amount = h('input', { id: 'lead-deal-amount', name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off' });
    this.convertButton = h('button', { id: 'lead-convert', type: 'submit', class: 'button button-primary' }, t('lead.convert'));
    const mayConvert = may('create', 'account') && may('create', 'deal');
    this.convertForm = mayConvert
      ? h(
          'form',
          { id: 'lead-convert-form', class: 'lead-convert', novalidate: true, on: { submit: (event) => { event.preventDefault(); void this.convert(); } } },
          h('p', { class: 'muted' }, t('lead.convertHelp')),
          h(
            'div',
            { class: 'form-grid' },
            formField(t('lead.dealTitle'), this.dealTitle, { hint: t('lead.dealTitleHint') }),
            formField(t('field.amount'), this.amount, { hint: t('field.amountHint') }),
          ),
          h('div', { class: 'form-actions' }, this.convertButton),
        )
      : null;

    this.actionsCard = titledCard(
      { id: 'lead-actions', titleId: 'lead-actions-title', title: t('lead.nextStep'), extra: this.disqualifyButton, hidden: true },
      this.confirm.el,
      qualifyForm,
      this.convertForm,
      this.actionError.el,
    );
    this.convertedList = h('ul', { id: 'lead-converted-list', class: 'item-list' });
    this.convertedCard = titledCard(
      { id: 'lead-converted', titleId: 'lead-converted-title', title: t('lead.convertedTitle'), hidden: true },
      h('p', { class: 'muted' }, t('lead.convertedNote')),
      this.convertedList,
    );

    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      this.notice,
      h(
        'div',
        { class: 'columns' },
        titledCard({ titleId: 'lead-details-title', title: t('account.details') }, this.details),
        titledCard(
          { id: 'lead-score', titleId: 'lead-score-title', title: t('lead.score'), extra: this.scoreTotal },
          this.reasons,
          h('p', { class: 'hint-line' }, t('lead.scoreHelp')),
        ),
      ),
      this.convertedCard,
      this.actionsCard,
      this.changes.el,
    );
    this.el = recordPage({
      id: 'lead-page',
      recordId: leadId,
      back: { name: 'leads' },
      backLabel: t('leads.title'),
      header: [this.title, this.subtitle, this.scoreBox],
      error: this.error.el,
      body: this.body,
    });
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    const load = async () => {
      // Names only: without the directory, no rep can be picked (the lead can still be qualified).
      const [view, people] = await withPeople(api.leadView(this.leadId));
      const converted = view.lead.converted_account ? await this.convertedRecords(view) : [];
      return [view, people, converted] as const;
    };
    await this.loader.reload(force, load, ([view, people, converted]) => {
      this.view = view;
      this.people = people;
      this.render(view, converted);
    });
  }

  private render(view: LeadView, converted: ConvertedLink[]): void {
    const lead = view.lead;
    this.title.textContent = lead.name;
    replaceChildren(
      this.subtitle,
      lead.company ? h('span', { class: 'strong' }, lead.company) : null,
      leadStatusTag(lead.status),
      lead.received_at ? h('span', {}, t('lead.received', { date: formatDateTime(lead.received_at) })) : null,
    );
    replaceChildren(this.scoreBox, scoreBadge(view.score.score, true));

    const place = [lead.postal_code, lead.city].filter(Boolean).join(' ');
    const rows: DefinitionRow[] = [
      [t('field.company'), lead.company ?? null, 'company'],
      [t('field.email'), lead.email ? h('a', { href: `mailto:${lead.email}` }, lead.email) : null, 'email'],
      [t('field.phone'), lead.phone ? formatPhone(lead.phone) : null, 'phone'],
      [t('field.city'), place || null, 'city'],
      [t('field.source'), lead.source ?? null, 'source'],
      [t('field.owner'), leadOwnerLabel(view), 'owner'],
      [t('field.consent_email'), lead.consent_email ? choiceLabel(choicesOf('lead.consent_email'), lead.consent_email) : t('leads.consentUnknown'), 'consent_email'],
      [t('field.message'), lead.message ? h('span', { class: 'pre-line' }, lead.message) : null, 'message'],
    ];
    if (lead.campaign) rows.push([t('field.campaign'), lead.campaign, 'campaign']);
    if (lead.form) rows.push([t('field.form'), lead.form, 'form']);
    if (lead.disqualify_reason) rows.push([t('field.disqualify_reason'), lead.disqualify_reason, 'disqualify_reason']);
    replaceChildren(this.details, ...definitionRows(rows));

    this.scoreTotal.textContent = t('lead.scoreTotal', { score: view.score.score });
    replaceChildren(
      this.reasons,
      ...(view.score.reasons.length === 0
        ? [h('li', { class: 'list-empty' }, t('lead.noReasons'))]
        : view.score.reasons.map((reason) =>
            h(
              'li',
              { class: `score-reason ${reason.points < 0 ? 'minus' : 'plus'}` },
              h('span', { class: 'reason-label' }, reason.label),
              h('span', { class: 'reason-points' }, formatPoints(reason.points)),
            ),
          )),
    );

    const isConverted = Boolean(lead.converted_account);
    this.convertedCard.hidden = !isConverted;
    if (isConverted) this.showConverted(this.justConverted ?? converted);
    this.actionsCard.hidden = isConverted || !mayOn('edit', 'lead', lead.owner);
    this.renderReps(lead.owner ?? null);
    this.body.hidden = false;
  }

  /** The people a lead can be handed to, by name (everyone for marketing and
   *  administrators, their team for a sales manager, nobody else for a rep, who keeps
   *  their own leads); the choice being made is kept. */
  private renderReps(owner: string | null): void {
    const chosen = this.rep.value;
    const people = reassignCandidates(this.people, signedInUser()?.id ?? null, reach('edit', 'lead'), owner);
    this.repField.hidden = people.length === 0;
    replaceChildren(
      this.rep,
      h('option', { value: '' }, t('lead.keepOwner')),
      ...people.map((person) => h('option', { value: person.email }, `${person.name} — ${person.email}`)),
    );
    this.rep.value = people.some((person) => person.email === chosen) ? chosen : '';
  }

  /** The names of what an earlier conversion made (a record this role may not read, or
   *  not on this device, is named without a link). */
  private async convertedRecords(view: LeadView): Promise<ConvertedLink[]> {
    const lead = view.lead;
    const named = async (id: string | null | undefined, type: ConvertedLine['type'], load: (id: string) => Promise<string>): Promise<ConvertedLink | null> => {
      if (!id) return null;
      const readable = may('read', type);
      const name = readable ? await load(id).catch(() => null) : null;
      const label = type === 'account' ? 'field.converted_account' : type === 'contact' ? 'field.converted_contact' : 'field.converted_deal';
      return { type, id, name, label, readable };
    };
    const links = await Promise.all([
      named(lead.converted_account, 'account', async (id) => (await api.accountView(id)).name),
      named(lead.converted_contact, 'contact', async (id) => (await api.contactView(id)).name),
      named(lead.converted_deal, 'deal', async (id) => (await api.dealView(id)).title),
    ]);
    return links.filter((link): link is ConvertedLink => link !== null);
  }

  private showConverted(links: ConvertedLink[]): void {
    replaceChildren(
      this.convertedList,
      ...links.map((link) => {
        const route = recordRoute(link.type, link.id);
        // A record this role may not read (marketing and the deal) is named by what it is.
        const name = link.name ?? (link.readable ? t('lead.notHere') : t('lead.forReps'));
        return h(
          'li',
          { class: 'item-row converted-record', dataset: { type: link.type, id: link.id } },
          h('span', { class: 'converted-label' }, t(link.label)),
          link.name !== null && route
            ? h('a', { class: 'item-main', href: routeToHash(route) }, h('span', { class: 'item-title' }, name))
            : h('span', { class: 'item-main muted' }, name),
        );
      }),
    );
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  private async qualify(): Promise<void> {
    this.actionError.clear();
    this.notice.hidden = true;
    const email = this.rep.value;
    const person = this.people.find((p) => p.email === email);
    await whileBusy(this.qualifyButton, t('lead.qualifying'), async () => {
      try {
        await api.qualifyLead(this.leadId, email || undefined);
        this.rep.value = '';
        this.showNotice(email ? t('lead.qualifiedTo', { name: person?.name ?? email }) : t('lead.qualified'));
        this.actions.onChanged();
        await this.refresh(true);
      } catch (reason) {
        this.actionError.show(messageOf(reason));
      }
    });
  }

  private async disqualify(): Promise<void> {
    this.actionError.clear();
    this.notice.hidden = true;
    const reason = h('input', { id: 'lead-disqualify-reason', name: 'disqualify_reason', type: 'text', autocomplete: 'off', value: this.view?.lead.disqualify_reason ?? '' });
    const yes = await this.confirm.ask({
      question: t('lead.disqualifyQuestion'),
      yesLabel: t('lead.disqualify'),
      yesId: 'lead-disqualify-yes',
      noId: 'lead-disqualify-no',
      danger: true,
      extra: formField(t('lead.disqualifyReason'), reason),
      focus: reason,
    });
    if (!yes) {
      this.disqualifyButton.focus();
      return;
    }
    await whileBusy(this.disqualifyButton, t('form.saving'), async () => {
      try {
        await api.disqualifyLead(this.leadId, reason.value.trim() || undefined);
        this.showNotice(t('lead.disqualified'));
        this.actions.onChanged();
        await this.refresh(true);
      } catch (failure) {
        this.actionError.show(messageOf(failure));
      }
    });
  }

  private async convert(): Promise<void> {
    if (!this.convertForm) return;
    this.actionError.clear();
    this.notice.hidden = true;
    const yes = await this.confirm.ask({
      question: t('lead.convertQuestion'),
      yesLabel: t('lead.convertYes'),
      yesId: 'lead-convert-yes',
      noId: 'lead-convert-no',
    });
    if (!yes) {
      this.convertButton.focus();
      return;
    }
    const options: { deal_title?: string; amount?: string } = {};
    if (this.dealTitle.value.trim()) options.deal_title = this.dealTitle.value.trim();
    if (this.amount.value.trim()) options.amount = this.amount.value.trim();
    const form = this.convertForm;
    await whileBusy(this.convertButton, t('lead.converting'), async () => {
      try {
        const converted: Converted = await api.convertLead(this.leadId, options);
        this.dealTitle.value = '';
        this.amount.value = '';
        this.justConverted = convertedLines(converted).map((line) => ({ ...line, readable: true }));
        this.actions.onChanged();
        await this.refresh(true);
        this.convertedCard.scrollIntoView({ block: 'nearest' });
      } catch (reason) {
        this.actionError.showFor(reason, form);
      }
    });
  }
}

/** A record a conversion made: `name` null when it cannot be read here; `readable`
 *  false when the role may not read records of its type. */
interface ConvertedLink {
  type: ConvertedLine['type'];
  id: string;
  name: string | null;
  label: ConvertedLine['label'];
  readable: boolean;
}
