//! The « Nouveau ticket » form: the customer's account (chosen by name), one of its
//! contacts if known, the subject, priority, channel and description. Opened from the
//! ticket queue, and from the incoming-call card with the caller's account and contact
//! already chosen and the channel set to the phone. The service clock starts now.

import { api, type Account, type Contact, type NewTicket, type TicketView } from '../api';
import { h, replaceChildren } from '../dom';
import { choiceLabel, choicesOf } from '../format';
import { t } from '../i18n';
import { accountSelect, setAccounts } from './AccountSelect';
import { formField } from './FormField';
import { FormShell } from './FormShell';

/** What the form starts with. */
export interface TicketPreset {
  account?: string;
  contact?: string;
  channel?: string;
}

/** The priority a new ticket gets unless another is chosen (crm-client's default). */
const DEFAULT_PRIORITY = 'normal';

export class TicketForm {
  readonly el: HTMLFormElement;
  private readonly account: HTMLSelectElement;
  private readonly contact: HTMLSelectElement;
  private readonly subject: HTMLInputElement;
  private readonly priority: HTMLSelectElement;
  private readonly channel: HTMLSelectElement;
  private readonly description: HTMLTextAreaElement;
  private readonly shell: FormShell;
  /** Increases with every contacts load, so a slow answer never replaces a newer one. */
  private loading = 0;

  constructor(private readonly onCreated: (ticket: TicketView) => void, onCancel: () => void) {
    this.account = accountSelect({ name: 'account' });
    this.account.addEventListener('change', () => void this.loadContacts(null));
    this.contact = h('select', { name: 'contact' }, h('option', { value: '' }, t('form.none')));
    this.subject = h('input', { name: 'title', type: 'text', autocomplete: 'off' });
    this.priority = h('select', { name: 'priority' }, ...choicesOf('ticket.priority').map((c) => h('option', { value: c.id }, choiceLabel([c], c.id))));
    this.channel = h(
      'select',
      { name: 'channel' },
      h('option', { value: '' }, t('form.none')),
      ...choicesOf('ticket.channel').map((c) => h('option', { value: c.id }, choiceLabel([c], c.id))),
    );
    this.description = h('textarea', { name: 'description', rows: 4 });
    this.shell = new FormShell(
      { id: 'ticket-form', class: 'inline-form' },
      { onSubmit: () => void this.save(), onCancel: () => { this.close(); onCancel(); } },
      h(
        'div',
        { class: 'form-grid' },
        formField(t('field.account'), this.account),
        formField(t('field.contact'), this.contact),
        formField(t('field.ticket.title'), this.subject, { wide: true }),
        formField(t('field.priority'), this.priority),
        formField(t('field.channel'), this.channel),
        formField(t('field.description'), this.description, { wide: true }),
      ),
    );
    this.el = this.shell.el;
  }

  /** Opens the form; `accounts` are those it may be opened on (the portfolio). */
  open(accounts: Account[], preset: TicketPreset = {}): void {
    this.shell.error.clear();
    setAccounts(this.account, accounts, preset.account ?? null);
    this.subject.value = '';
    this.description.value = '';
    this.priority.value = DEFAULT_PRIORITY;
    this.channel.value = preset.channel ?? '';
    this.el.hidden = false;
    void this.loadContacts(preset.contact ?? null);
    // The account is known when opened from a call: the subject is what is left to type.
    (this.account.value ? this.subject : this.account).focus();
  }

  close(): void {
    this.loading++;
    this.shell.close();
  }

  /** The chosen account's contacts, by name; `chosen` is selected once they are there. */
  private async loadContacts(chosen: string | null): Promise<void> {
    const loading = ++this.loading;
    const account = this.account.value;
    replaceChildren(this.contact, h('option', { value: '' }, t('form.none')));
    if (!account) return;
    let contacts: Contact[];
    try {
      contacts = (await api.accountView(account)).contacts ?? [];
    } catch {
      // Without its contacts the ticket can still be opened on the account.
      return;
    }
    if (loading !== this.loading) return;
    const sorted = [...contacts].sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }));
    replaceChildren(
      this.contact,
      h('option', { value: '' }, t('form.none')),
      ...sorted.map((contact) => h('option', { value: contact.id }, contact.job_title ? `${contact.name} · ${contact.job_title}` : contact.name)),
    );
    if (chosen && sorted.some((contact) => contact.id === chosen)) this.contact.value = chosen;
  }

  private async save(): Promise<void> {
    if (!this.account.value) {
      this.shell.error.showAt(this.account, t('tickets.accountRequired'));
      return;
    }
    if (!this.subject.value.trim()) {
      this.shell.error.showAt(this.subject, t('tickets.subjectRequired'));
      return;
    }
    const ticket: NewTicket = { account: this.account.value, title: this.subject.value.trim(), priority: this.priority.value || DEFAULT_PRIORITY };
    if (this.contact.value) ticket.contact = this.contact.value;
    if (this.channel.value) ticket.channel = this.channel.value;
    if (this.description.value.trim()) ticket.description = this.description.value;
    await this.shell.save(() => api.addTicket(ticket), () => this.close(), (created) => this.onCreated(created));
  }
}
