//! « Tickets », the support queue, in the core's order: late tickets first, then by the
//! time due. Each row shows « Hors délai » or « En pause », the subject and the caller,
//! the account, the status and priority by their labels, the next time due (the first
//! response while none was given, then the resolution) in Paris time, and who handles
//! it. « Ouverts seulement » (on by default) and « Les miens » narrow it; « Nouveau
//! ticket » opens one (customer service, administrators); a box opens an incoming-call
//! card by its number. A row opens the ticket.

import { api, type Account, type TicketView } from '../api';
import { h, replaceChildren } from '../dom';
import { t, tCount } from '../i18n';
import { Reloader } from '../reload';
import { navigate } from '../router';
import { may } from '../session';
import { ticketDue, ticketDueText } from '../tickets';
import { callLookup } from './CallLookup';
import { FormError, messageOf } from './FormField';
import { clickableRow, newFormClosers, newRecordButton, pageHeader, showEmptyRow, tableCard } from './ListPage';
import { priorityTag, ticketFlagTags, ticketStatusTag } from './ServiceBadges';
import { TicketForm } from './TicketForm';

export interface TicketsPageActions {
  onChanged: () => void;
}

/** The toggles, kept while the app runs. */
const shown = { openOnly: true, mine: false };

export class TicketsPage {
  readonly el: HTMLElement;
  private readonly table: HTMLTableSectionElement;
  private readonly count: HTMLElement;
  private readonly newButton: HTMLButtonElement;
  private readonly form: TicketForm;
  private readonly error = new FormError();
  private tickets: TicketView[] = [];
  private accounts: Account[] = [];
  private loaded = false;
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor(private readonly actions: TicketsPageActions) {
    this.table = h('tbody', {});
    this.count = h('div', { id: 'tickets-count', class: 'page-subtitle' });
    this.newButton = newRecordButton('new-ticket-button', 'ticket', t('tickets.new'), () => this.openForm());
    this.form = new TicketForm(...newFormClosers(this.newButton, () => this.actions.onChanged(), (ticket: TicketView) => navigate({ name: 'ticket', id: ticket.id })));
    const toggle = (id: string, key: keyof typeof shown, label: string) => {
      const box = h('input', {
        id,
        type: 'checkbox',
        checked: shown[key],
        on: {
          change: () => {
            shown[key] = box.checked;
            void this.refresh(true);
          },
        },
      });
      return h('label', { class: 'checkbox-label' }, box, label);
    };
    this.el = h(
      'section',
      { id: 'tickets-page', class: 'page' },
      pageHeader(t('tickets.title'), this.count, this.newButton),
      this.form.el,
      h(
        'div',
        { class: 'toolbar tickets-toolbar' },
        h('div', { class: 'button-row' }, toggle('tickets-open-only', 'openOnly', t('tickets.openOnly')), toggle('tickets-mine', 'mine', t('tickets.mine'))),
        h('div', { class: 'call-box', title: t('call.boxHint') }, callLookup('tickets-call')),
      ),
      this.error.el,
      tableCard(
        'tickets-table',
        [
          h('th', {}, t('tickets.colTicket')),
          h('th', {}, t('field.account')),
          h('th', {}, t('field.status')),
          h('th', {}, t('field.priority')),
          h('th', {}, t('field.due')),
          h('th', {}, t('field.ticket.owner')),
        ],
        this.table,
      ),
    );
    this.render();
    void this.refresh();
  }

  /** Reloads the data after a sync (the clock moves on: a ticket may have become late);
   *  the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const { openOnly, mine } = shown;
      const [tickets, accounts] = await Promise.all([
        api.listTickets(openOnly, mine),
        // For the form's account list only: the queue names the accounts itself.
        may('create', 'ticket') ? api.listAccounts().catch((): Account[] => []) : Promise.resolve([]),
      ]);
      return {
        shown: [openOnly, mine, tickets, accounts.length],
        show: () => {
          this.tickets = tickets;
          this.accounts = accounts;
          this.loaded = true;
          this.error.clear();
          this.render();
        },
      };
    });
  }

  private openForm(): void {
    this.newButton.hidden = true;
    this.form.open(this.accounts);
  }

  private render(): void {
    this.count.textContent = this.loaded ? tCount('tickets.count', this.tickets.length) : '';
    if (this.tickets.length === 0) {
      const text = !this.loaded ? t('account.loading') : shown.openOnly ? t('tickets.emptyOpen') : t('tickets.empty');
      showEmptyRow(this.table, 6, text);
      return;
    }
    replaceChildren(this.table, ...this.tickets.map((ticket) => this.row(ticket)));
  }

  private row(ticket: TicketView): HTMLElement {
    const open = () => navigate({ name: 'ticket', id: ticket.id });
    const due = ticketDue(ticket);
    const flags = ticketFlagTags(ticket);
    return clickableRow(
      { class: `clickable ticket-row${ticket.breached ? ' breached' : ''}${ticket.paused ? ' paused' : ''}`, dataset: { id: ticket.id } },
      open,
      h(
        'td',
        { class: 'cell-stack' },
        flags.length > 0 ? h('span', { class: 'flag-row' }, ...flags) : null,
        h('span', { class: 'strong ticket-title' }, ticket.title),
        ticket.contact_name ? h('span', { class: 'muted' }, ticket.contact_name) : null,
      ),
      h('td', { class: 'ticket-account' }, ticket.account_name || t('pipeline.unknownAccount')),
      h('td', {}, ticketStatusTag(ticket.status)),
      h('td', {}, priorityTag(ticket.priority) ?? h('span', { class: 'muted' }, '—')),
      h('td', { class: `ticket-due${due.breached && due.kind !== 'done' ? ' deadline-passed' : ''}` }, ticketDueText(due) || h('span', { class: 'muted' }, '—')),
      h('td', {}, ticket.assignee_name ?? h('span', { class: 'muted' }, t('tickets.unassigned'))),
    );
  }
}
