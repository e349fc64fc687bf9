//! « Appel entrant », the card of the number calling: opened by the telephony hook (the
//! `incoming-call` event) or by typing the number. It shows the contacts with that number
//! and their companies, each with its open tickets (late or paused ones flagged) and its
//! running contracts, and the leads with that number. For each company, « Compte rendu
//! d'appel » opens the activity form as a call with the caller ticked, and « Nouveau
//! ticket » the ticket form with the company and the caller chosen. An unknown number
//! says so and offers « Nouveau contact » (at an account picked by name, or a new account
//! with that number), « Nouvelle piste » and « Nouveau ticket », each with the number
//! filled in. Only what the role may do is offered.

import { api, type Account, type CallerAccount, type CallerCard, type Contact, type Lead, type Person, type TicketView } from '../api';
import { h, replaceChildren } from '../dom';
import { accountKindLabel, contractStatusLabel, contractTypeLabel, formatCalendarDate, formatPhone } from '../format';
import { t, tCount } from '../i18n';
import { PeopleNames } from '../people';
import { Reloader } from '../reload';
import { navigate, routeToHash } from '../router';
import { may, signedInUser } from '../session';
import { loadSalesSettings } from '../stages';
import { ticketDue, ticketDueText } from '../tickets';
import { accountSelect, setAccounts } from './AccountSelect';
import { ActivityForm } from './ActivityForm';
import { callLookup } from './CallLookup';
import { ContactForm } from './ContactForm';
import { FormError, formField, messageOf } from './FormField';
import { LeadForm } from './LeadForm';
import { leadStatusTag, ticketFlagTags, ticketStatusTag } from './ServiceBadges';
import { TicketForm } from './TicketForm';

export interface CallPageActions {
  onChanged: () => void;
}

/** The activity kind of a call report, and the channel of a ticket opened on a call. */
const CALL_ACTIVITY = 'call';
const PHONE_CHANNEL = 'phone';

export class CallPage {
  readonly el: HTMLElement;
  private readonly numberLine: HTMLElement;
  private readonly error = new FormError();
  private readonly notice: HTMLElement;
  private readonly results: HTMLElement;
  private readonly formCard: HTMLElement;
  private readonly formTitle: HTMLElement;
  private readonly formHolder: HTMLElement;
  private readonly reloader = new Reloader((reason) => {
    // A number the core cannot read (« abc »): said on the error line, nothing below.
    this.error.show(messageOf(reason));
    replaceChildren(this.results);
  });

  constructor(private readonly number: string, private readonly actions: CallPageActions) {
    this.numberLine = h('div', { id: 'call-number', class: 'call-number' }, number ? formatPhone(number) : '');
    this.notice = h('p', { id: 'call-notice', class: 'form-notice', role: 'status', hidden: true });
    this.results = h('div', { id: 'call-results', class: 'account-body' });
    this.formTitle = h('h2', { id: 'call-form-title' });
    this.formHolder = h('div', {});
    this.formCard = h('section', { id: 'call-form', class: 'card', 'aria-labelledby': 'call-form-title', hidden: true }, h('div', { class: 'card-header' }, this.formTitle), this.formHolder);
    this.el = h(
      'section',
      { id: 'call-page', class: 'page', dataset: { number } },
      h(
        'div',
        { class: 'page-header' },
        h('div', {}, h('h1', { class: 'page-title' }, t('call.title')), this.numberLine),
        h('div', { class: 'call-box' }, callLookup('call-lookup', number)),
      ),
      this.error.el,
      this.notice,
      this.formCard,
      this.results,
    );
    if (number) {
      replaceChildren(this.results, h('p', { class: 'muted' }, t('account.loading')));
      void this.refresh();
    } else {
      replaceChildren(this.results, h('p', { class: 'muted' }, t('call.noNumber')));
    }
  }

  /** Looks the number up again (after a sync, or a record made here); redrawn only if
   *  something changed, or if `force`. A form being filled in stays as it is. */
  async refresh(force = false): Promise<void> {
    if (!this.number) return;
    await this.reloader.run(force, async () => {
      const [card, people] = await Promise.all([
        api.incomingCall(this.number),
        // Names only: without the directory, an account's rep is not named.
        api.people().catch((): Person[] => []),
        // The words of the contract types.
        loadSalesSettings(),
      ]);
      return {
        shown: [card, people],
        show: () => {
          this.error.clear();
          this.render(card, new PeopleNames(people, signedInUser()?.id ?? null));
        },
      };
    });
  }

  private render(card: CallerCard, people: PeopleNames): void {
    this.numberLine.textContent = formatPhone(card.e164 ?? card.number);
    const shownAccounts = new Set(card.accounts.map((entry) => entry.account.id));
    const elsewhere = card.contacts.filter((contact) => !shownAccounts.has(contact.account));
    const known = card.contacts.length + card.accounts.length + card.leads.length > 0;
    replaceChildren(
      this.results,
      known ? null : this.unknownCard(),
      ...card.accounts.map((entry) => this.accountCard(entry, card.contacts.filter((contact) => contact.account === entry.account.id), people)),
      elsewhere.length > 0 ? this.contactsCard(elsewhere) : null,
      card.leads.length > 0 ? this.leadsCard(card.leads) : null,
    );
  }

  // -------------------------------------------------------------------------------------
  // What the number finds
  // -------------------------------------------------------------------------------------

  private accountCard(entry: CallerAccount, contacts: Contact[], people: PeopleNames): HTMLElement {
    const account = entry.account;
    const owner = people.of(account.owner);
    const place = [account.postal_code, account.city].filter(Boolean).join(' ');
    return h(
      'section',
      { class: 'card call-account', dataset: { id: account.id }, 'aria-label': account.name },
      h(
        'div',
        { class: 'card-header' },
        h(
          'div',
          { class: 'call-account-title' },
          h('h2', {}, h('a', { class: 'call-account-link', href: routeToHash({ name: 'account', id: account.id }) }, account.name)),
          h(
            'div',
            { class: 'item-meta' },
            h('span', { class: `kind-tag kind-${account.kind}` }, accountKindLabel(account.kind)),
            place ? h('span', {}, place) : null,
            owner ? h('span', { class: 'call-owner' }, `${t('field.owner')} : ${owner}`) : null,
          ),
        ),
        h(
          'div',
          { class: 'button-row' },
          may('create', 'activity')
            ? h(
                'button',
                { type: 'button', class: 'button button-primary button-small call-report', on: { click: () => this.openCallReport(account, contacts) } },
                t('call.callReport'),
              )
            : null,
          may('create', 'ticket')
            ? h(
                'button',
                { type: 'button', class: 'button button-secondary button-small call-new-ticket', on: { click: () => void this.openTicket(account, contacts[0]?.id) } },
                '+ ',
                t('tickets.new'),
              )
            : null,
        ),
      ),
      contacts.length > 0 ? h('ul', { class: 'item-list call-contacts' }, ...contacts.map((contact) => contactRow(contact))) : null,
      h(
        'div',
        { class: 'columns call-columns' },
        h(
          'div',
          { class: 'call-tickets' },
          h('h3', { class: 'call-subtitle' }, tCount('call.openTickets', entry.open_tickets.length)),
          entry.open_tickets.length === 0
            ? h('p', { class: 'muted' }, t('call.noOpenTickets'))
            : h('ul', { class: 'item-list' }, ...entry.open_tickets.map((ticket) => ticketRow(ticket))),
        ),
        h(
          'div',
          { class: 'call-contracts' },
          h('h3', { class: 'call-subtitle' }, t('call.contracts')),
          entry.contracts.length === 0
            ? h('p', { class: 'muted' }, t('call.noContracts'))
            : h(
                'ul',
                { class: 'item-list' },
                ...entry.contracts.map((contract) =>
                  h(
                    'li',
                    { class: 'item-row', dataset: { id: contract.id } },
                    h(
                      may('read', 'contract') ? 'a' : 'span',
                      { class: 'item-main', href: may('read', 'contract') ? routeToHash({ name: 'contract', id: contract.id }) : undefined },
                      h('span', { class: 'item-title' }, contract.contract_type ? contractTypeLabel(contract.contract_type) : t('contract.noType')),
                      contract.start ? h('span', { class: 'item-meta' }, t('contract.startsOn', { date: formatCalendarDate(contract.start) })) : null,
                    ),
                    h('span', { class: `status-tag contract-${contract.status}` }, contractStatusLabel(contract.status)),
                  ),
                ),
              ),
        ),
      ),
    );
  }

  /** Contacts with the number whose account is not on this device. */
  private contactsCard(contacts: Contact[]): HTMLElement {
    return h(
      'section',
      { id: 'call-other-contacts', class: 'card' },
      h('div', { class: 'card-header' }, h('h2', {}, t('call.otherContacts'))),
      h('ul', { class: 'item-list call-contacts' }, ...contacts.map((contact) => contactRow(contact))),
    );
  }

  private leadsCard(leads: Lead[]): HTMLElement {
    return h(
      'section',
      { id: 'call-leads', class: 'card' },
      h('div', { class: 'card-header' }, h('h2', {}, t('call.leads'))),
      h(
        'ul',
        { class: 'item-list' },
        ...leads.map((lead) =>
          h(
            'li',
            { class: 'item-row call-lead', dataset: { id: lead.id } },
            h(
              may('read', 'lead') ? 'a' : 'span',
              { class: 'item-main', href: may('read', 'lead') ? routeToHash({ name: 'lead', id: lead.id }) : undefined },
              h('span', { class: 'item-title' }, lead.name),
              lead.company ? h('span', { class: 'item-meta' }, lead.company) : null,
            ),
            leadStatusTag(lead.status),
          ),
        ),
      ),
    );
  }

  private unknownCard(): HTMLElement {
    const button = (id: string, label: string, open: () => void) =>
      h('button', { id, type: 'button', class: 'button button-secondary', on: { click: open } }, '+ ', label);
    return h(
      'section',
      { id: 'call-unknown', class: 'card', 'aria-labelledby': 'call-unknown-title' },
      h('div', { class: 'card-header' }, h('h2', { id: 'call-unknown-title' }, t('call.unknown'))),
      h('p', { class: 'muted' }, t('call.unknownHelp')),
      h(
        'div',
        { class: 'button-row' },
        may('create', 'contact') ? button('call-new-contact', t('call.newContact'), () => void this.openContact()) : null,
        may('create', 'lead') ? button('call-new-lead', t('leads.new'), () => this.openLead()) : null,
        may('create', 'ticket') ? button('call-new-ticket', t('tickets.new'), () => void this.openTicket(null)) : null,
      ),
    );
  }

  // -------------------------------------------------------------------------------------
  // The forms, one at a time, above the card
  // -------------------------------------------------------------------------------------

  private showForm(title: string, ...content: HTMLElement[]): void {
    this.notice.hidden = true;
    this.formTitle.textContent = title;
    replaceChildren(this.formHolder, ...content);
    this.formCard.hidden = false;
    this.formCard.scrollIntoView({ block: 'nearest' });
  }

  private closeForm(): void {
    replaceChildren(this.formHolder);
    this.formCard.hidden = true;
  }

  private said(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  /** The activity form of the account, as a call with the caller (or callers) ticked. */
  private openCallReport(account: Account, contacts: Contact[]): void {
    const form = new ActivityForm(
      account.id,
      () => {
        this.closeForm();
        this.said(t('call.reportSaved', { account: account.name }));
        this.actions.onChanged();
      },
      () => this.closeForm(),
    );
    this.showForm(t('call.callReportFor', { account: account.name }), form.el);
    form.open({ kind: CALL_ACTIVITY, contacts: contacts.map((contact) => contact.id) });
  }

  /** The ticket form, on the account and with the caller when known, channel phone. */
  private async openTicket(account: Account | null, contact?: string): Promise<void> {
    const accounts = await this.accounts();
    if (account && !accounts.some((a) => a.id === account.id)) accounts.push(account);
    const form = new TicketForm(
      (ticket) => {
        this.actions.onChanged();
        navigate({ name: 'ticket', id: ticket.id });
      },
      () => this.closeForm(),
    );
    this.showForm(account ? t('call.newTicketFor', { account: account.name }) : t('tickets.new'), form.el);
    form.open(accounts, { account: account?.id, contact, channel: PHONE_CHANNEL });
  }

  /** The lead form with the number filled in. */
  private openLead(): void {
    const form = new LeadForm(
      (lead) => {
        this.actions.onChanged();
        navigate({ name: 'lead', id: lead.lead.id });
      },
      () => this.closeForm(),
    );
    this.showForm(t('leads.new'), form.el);
    form.open({ phone: this.number });
  }

  /** A new contact with this number: at an account picked by name, or at a new account
   *  made with the number (the account form). */
  private async openContact(): Promise<void> {
    const select = accountSelect({ name: 'contact-account' });
    select.id = 'call-contact-account';
    const holder = h('div', { class: 'call-contact-form' });
    const error = new FormError();
    const newAccount = may('create', 'account')
      ? h(
          'button',
          { id: 'call-new-account', type: 'button', class: 'button button-secondary button-small', on: { click: () => navigate({ name: 'new-account', phone: this.number }) } },
          '+ ',
          t('call.newAccount'),
        )
      : null;
    select.addEventListener('change', () => {
      error.clear();
      if (!select.value) {
        replaceChildren(holder);
        return;
      }
      const form = new ContactForm(
        select.value,
        () => {
          this.closeForm();
          this.said(t('call.contactSaved'));
          this.actions.onChanged();
          // The card finds the caller now.
          void this.refresh(true);
        },
        () => this.closeForm(),
      );
      replaceChildren(holder, form.el);
      form.open(null, { phone: this.number });
    });
    this.showForm(t('call.newContact'), h('div', { class: 'inline-row call-contact-account' }, formField(t('call.contactAccount'), select), newAccount), error.el, holder);
    try {
      setAccounts(select, await api.listAccounts());
      select.focus();
    } catch (reason) {
      error.show(messageOf(reason));
    }
  }

  /** The portfolio, for the forms' account lists; empty when it cannot be read. */
  private async accounts(): Promise<Account[]> {
    try {
      return await api.listAccounts();
    } catch (reason) {
      this.error.show(messageOf(reason));
      return [];
    }
  }
}

/** A contact found by the number: their name (their page), job title and numbers. */
function contactRow(contact: Contact): HTMLElement {
  const numbers = [contact.phone, contact.mobile].filter((value): value is string => Boolean(value)).map(formatPhone);
  return h(
    'li',
    { class: 'item-row call-contact', dataset: { id: contact.id } },
    h(
      'a',
      { class: 'item-main', href: routeToHash({ name: 'contact', id: contact.id }) },
      h('span', { class: 'item-title call-contact-name' }, contact.name),
      h('span', { class: 'item-meta' }, contact.job_title ? h('span', {}, contact.job_title) : null, ...numbers.map((n) => h('span', {}, n))),
    ),
  );
}

/** An open ticket of the caller's company: its flags, subject, status and next due time. */
function ticketRow(ticket: TicketView): HTMLElement {
  const due = ticketDue(ticket);
  return h(
    'li',
    { class: 'item-row call-ticket', dataset: { id: ticket.id } },
    h(
      'a',
      { class: 'item-main', href: routeToHash({ name: 'ticket', id: ticket.id }) },
      h('span', { class: 'item-title' }, ticket.title),
      h('span', { class: 'item-meta' }, ...ticketFlagTags(ticket), ticketDueText(due) ? h('span', { class: due.breached ? 'deadline-passed' : '' }, ticketDueText(due)) : null),
    ),
    ticketStatusTag(ticket.status),
  );
}
