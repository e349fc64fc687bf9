//! The page of one ticket: its subject, customer and caller, status and priority; its
//! service clock (the first response and the resolution, each due by a time in Paris
//! time, marked « Dépassé » when missed, or done at a time), paused while waiting for the
//! customer; its details and the history of its statuses. Those who handle tickets
//! (customer service, administrators) move it with one button per status and hand it to
//! someone picked by name; the others follow it here.

import { api, type Person, type TicketView } from '../api';
import { h, replaceChildren } from '../dom';
import { formatParisDateTime } from '../format';
import { t } from '../i18n';
import { routeToHash } from '../router';
import { reassignCandidates } from '../people';
import { may, reach, signedInUser } from '../session';
import { statusHistory, statusTargets, ticketChannelLabel, ticketStatusLabel } from '../tickets';
import { definitionRows, type DefinitionRow } from './DefinitionList';
import { FormError, formField, messageOf, whileBusy } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { RecordLoader, recordPage, titledCard, withPeople } from './RecordPage';
import { priorityTag, ticketFlagTags, ticketStatusTag } from './ServiceBadges';

export interface TicketPageActions {
  onChanged: () => void;
}

export class TicketPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly flags: HTMLElement;
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly clock: HTMLElement;
  private readonly pausedNote: HTMLElement;
  private readonly details: HTMLElement;
  private readonly progress: HTMLOListElement;
  private readonly handling: HTMLElement;
  private readonly readOnly: HTMLElement;
  private readonly moves: HTMLElement;
  private readonly assignee: HTMLSelectElement;
  private readonly assignButton: HTMLButtonElement;
  private readonly notice: HTMLElement;
  private readonly actionError = new FormError();
  private readonly changes: HistoryPanel;
  private people: Person[] = [];
  private readonly loader: RecordLoader;

  constructor(private readonly ticketId: string, private readonly actions: TicketPageActions) {
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.flags = h('div', { id: 'ticket-flags', class: 'flag-row' });
    this.clock = h('dl', { id: 'ticket-clock', class: 'details' });
    this.pausedNote = h('p', { id: 'ticket-paused-note', class: 'callout', hidden: true }, t('ticket.pausedNote'));
    this.details = h('dl', { id: 'ticket-details', class: 'details' });
    this.progress = h('ol', { id: 'ticket-progress', class: 'stage-history' });
    this.moves = h('div', { id: 'ticket-moves', class: 'button-row', role: 'group', 'aria-label': t('ticket.moveTo') });
    this.assignee = h('select', { id: 'ticket-assignee', name: 'assignee' });
    this.assignButton = h('button', { id: 'ticket-assign', type: 'submit', class: 'button button-secondary' }, t('ticket.assign'));
    this.notice = h('p', { id: 'ticket-notice', class: 'form-notice', role: 'status', hidden: true });
    this.readOnly = h('p', { id: 'ticket-read-only', class: 'muted', hidden: true }, t('ticket.readOnly'));
    this.changes = new HistoryPanel(ticketId, 'ticket');
    this.loader = new RecordLoader(this.error, 'ticket.notFound', this.changes);
    this.handling = titledCard(
      { id: 'ticket-handling', titleId: 'ticket-handling-title', title: t('ticket.handling'), hidden: true },
      h('div', { class: 'ticket-move-row' }, h('span', { class: 'inline-label' }, t('ticket.moveTo')), this.moves),
      h(
        'form',
        { id: 'ticket-assign-form', class: 'inline-action', novalidate: true, on: { submit: (event) => { event.preventDefault(); void this.assign(); } } },
        formField(t('ticket.assignTo'), this.assignee),
        this.assignButton,
      ),
      this.actionError.el,
    );

    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      this.notice,
      this.handling,
      this.readOnly,
      h(
        'div',
        { class: 'columns' },
        titledCard(
          { titleId: 'ticket-clock-title', title: t('ticket.clock'), extra: this.flags },
          this.clock,
          this.pausedNote,
        ),
        titledCard({ titleId: 'ticket-details-title', title: t('account.details') }, this.details),
      ),
      titledCard({ titleId: 'ticket-progress-title', title: t('ticket.progress') }, this.progress),
      this.changes.el,
    );
    this.el = recordPage({
      id: 'ticket-page',
      recordId: ticketId,
      back: { name: 'tickets' },
      backLabel: t('tickets.title'),
      header: [this.title, this.subtitle, h('span', {})],
      error: this.error.el,
      body: this.body,
    });
    void this.refresh();
  }

  /** Reloads the data after a sync (the clock moves on); redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    // Names only: without the directory, nobody can be picked (the rest still works).
    await this.loader.reload(force, () => withPeople(api.ticketView(this.ticketId)), ([ticket, people]) => {
      this.people = people;
      this.render(ticket);
    });
  }

  private render(ticket: TicketView): void {
    this.title.textContent = ticket.title;
    replaceChildren(
      this.subtitle,
      h('a', { id: 'ticket-account-link', href: routeToHash({ name: 'account', id: ticket.account }) }, ticket.account_name || t('pipeline.unknownAccount')),
      ticket.contact && ticket.contact_name ? h('a', { id: 'ticket-contact-link', href: routeToHash({ name: 'contact', id: ticket.contact }) }, ticket.contact_name) : null,
      ticketStatusTag(ticket.status),
      priorityTag(ticket.priority),
    );
    replaceChildren(this.flags, ...ticketFlagTags(ticket));

    const hasClock = Boolean(ticket.first_response_due || ticket.resolution_due);
    replaceChildren(
      this.clock,
      ...(hasClock
        ? definitionRows([
            [t('ticket.firstResponse'), clockValue(ticket.first_response_at, ticket.first_response_due, ticket.first_response_breached), 'first_response'],
            [t('ticket.resolution'), clockValue(ticket.resolved_at, ticket.resolution_due, ticket.resolution_breached), 'resolution'],
          ])
        : [h('dd', { class: 'muted' }, t('ticket.noClock'))]),
    );
    this.pausedNote.hidden = !ticket.paused;

    const rows: DefinitionRow[] = [
      [t('field.ticket.owner'), ticket.assignee_name ?? null, 'owner'],
      [t('field.contact'), ticket.contact_name ?? null, 'contact'],
      [t('field.channel'), ticket.channel ? ticketChannelLabel(ticket.channel) : null, 'channel'],
      [t('field.opened_at'), ticket.opened_at ? formatParisDateTime(ticket.opened_at) : null, 'opened_at'],
      [t('field.contract'), ticket.contract ? h('a', { href: routeToHash({ name: 'contract', id: ticket.contract }) }, t('contract.title')) : null, 'contract'],
      [t('field.description'), ticket.description ? h('span', { class: 'pre-line' }, ticket.description) : null, 'description'],
    ];
    replaceChildren(this.details, ...definitionRows(rows));

    const history = statusHistory(ticket.status_history);
    replaceChildren(
      this.progress,
      ...(history.length === 0
        ? [h('li', { class: 'list-empty' }, t('ticket.noProgress'))]
        : history.map((item) =>
            h(
              'li',
              { class: 'history-item' },
              h('span', { class: 'history-dot', 'aria-hidden': 'true' }),
              h('span', { class: 'history-stage' }, ticketStatusLabel(item.status)),
              h('time', { class: 'history-date', datetime: item.at }, formatParisDateTime(item.at)),
            ),
          )),
    );

    // A ticket's `owner` is whoever handles it; for the permission rules it belongs to
    // its account's owner, and the roles that may edit tickets may edit them all.
    const mayHandle = may('edit', 'ticket');
    this.handling.hidden = !mayHandle;
    this.readOnly.hidden = mayHandle;
    if (mayHandle) this.renderHandling(ticket);
    this.body.hidden = false;
  }

  /** One button per status the ticket can move to; the people it can be handed to. */
  private renderHandling(ticket: TicketView): void {
    replaceChildren(
      this.moves,
      ...statusTargets(ticket.status).map((choice) => {
        const label = ticketStatusLabel(choice.id);
        const button: HTMLButtonElement = h(
          'button',
          { type: 'button', class: 'button button-secondary button-small ticket-move', dataset: { status: choice.id }, on: { click: () => void this.move(choice.id, label, button) } },
          label,
        );
        return button;
      }),
    );
    const chosen = this.assignee.value;
    const people = reassignCandidates(this.people, signedInUser()?.id ?? null, reach('edit', 'ticket'), ticket.owner);
    replaceChildren(
      this.assignee,
      h('option', { value: '' }, t('form.choose')),
      ...people.map((person) => h('option', { value: person.email }, `${person.name} — ${person.email}`)),
    );
    this.assignee.value = people.some((person) => person.email === chosen) ? chosen : '';
  }

  private async move(status: string, label: string, button: HTMLButtonElement): Promise<void> {
    this.actionError.clear();
    this.notice.hidden = true;
    for (const other of this.moves.querySelectorAll('button')) other.disabled = true;
    await whileBusy(button, t('form.saving'), async () => {
      try {
        await api.updateTicket(this.ticketId, { status });
        this.notice.textContent = t('ticket.moved', { status: label });
        this.notice.hidden = false;
        this.actions.onChanged();
      } catch (reason) {
        this.actionError.show(messageOf(reason));
      }
    });
    await this.refresh(true);
    for (const other of this.moves.querySelectorAll('button')) other.disabled = false;
  }

  private async assign(): Promise<void> {
    this.actionError.clear();
    this.notice.hidden = true;
    const email = this.assignee.value;
    if (!email) {
      this.actionError.showAt(this.assignee, t('ticket.assignEmpty'));
      return;
    }
    const person = this.people.find((p) => p.email === email);
    await whileBusy(this.assignButton, t('form.saving'), async () => {
      try {
        await api.updateTicket(this.ticketId, { assignee: email });
        this.assignee.value = '';
        this.notice.textContent = t('ticket.assigned', { name: person?.name ?? email });
        this.notice.hidden = false;
        this.actions.onChanged();
        await this.refresh(true);
      } catch (reason) {
        this.actionError.show(messageOf(reason));
      }
    });
  }
}

/** A target of the clock: done at a time, or due by a time, marked when missed. */
function clockValue(doneAt: string | null | undefined, due: string | null | undefined, breached: boolean): HTMLElement {
  const missed = breached ? h('span', { class: 'flag-tag flag-breached' }, t('ticket.missed')) : null;
  if (doneAt) return h('span', { class: 'clock-value done' }, t('ticket.doneOn', { date: formatParisDateTime(doneAt) }), missed ? ' ' : null, missed);
  if (!due) return h('span', { class: 'muted' }, '—');
  return h('span', { class: `clock-value${breached ? ' deadline-passed' : ''}` }, t('ticket.dueBy', { date: formatParisDateTime(due) }), missed ? ' ' : null, missed);
}
