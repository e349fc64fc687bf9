//! The "Nouveau rendez-vous" form of the agenda: title, start and end (local time, sent
//! as RFC 3339 with this computer's offset), optional account and place.

import { api, type Account, type CalendarEvent, type Fields } from '../api';
import { h } from '../dom';
import { dateTimeInputToRfc3339, nowForDateTimeInput } from '../format';
import { t } from '../i18n';
import { accountSelect, setAccounts } from './AccountSelect';
import { formField } from './FormField';
import { FormShell } from './FormShell';

export class EventForm {
  readonly el: HTMLFormElement;
  private readonly title: HTMLInputElement;
  private readonly start: HTMLInputElement;
  private readonly end: HTMLInputElement;
  private readonly account: HTMLSelectElement;
  private readonly place: HTMLInputElement;
  private readonly shell: FormShell;

  constructor(private readonly onCreated: (event: CalendarEvent) => void, private readonly onCancel: () => void) {
    this.title = h('input', { name: 'title', type: 'text', autocomplete: 'off', placeholder: t('agenda.titlePlaceholder') });
    this.start = h('input', { name: 'start', type: 'datetime-local', on: { change: () => this.keepEndAfterStart() } });
    this.end = h('input', { name: 'end', type: 'datetime-local' });
    this.account = accountSelect({ emptyLabel: t('form.none') });
    this.place = h('input', { name: 'place', type: 'text', autocomplete: 'off' });
    this.shell = new FormShell(
      { id: 'event-form', class: 'card record-form' },
      { onSubmit: () => void this.save(), onCancel: () => { this.close(); this.onCancel(); } },
      h('div', { class: 'card-header' }, h('h2', {}, t('agenda.new'))),
      h(
        'div',
        { class: 'form-grid' },
        formField(t('field.event.title'), this.title, { wide: true }),
        formField(t('field.event.start'), this.start),
        formField(t('field.event.end'), this.end),
        formField(t('field.account'), this.account),
        formField(t('field.place'), this.place),
      ),
    );
    this.el = this.shell.el;
  }

  /** Opens the form starting at `start` (a datetime-local value), one hour long. */
  open(accounts: Account[], start: string | null = null): void {
    setAccounts(this.account, accounts, '');
    this.start.value = start ?? nextHour();
    this.end.value = plusOneHour(this.start.value);
    this.shell.error.clear();
    this.el.hidden = false;
    this.title.focus();
  }

  close(): void {
    this.shell.close();
  }

  private keepEndAfterStart(): void {
    if (this.start.value && (!this.end.value || this.end.value <= this.start.value)) this.end.value = plusOneHour(this.start.value);
  }

  private async save(): Promise<void> {
    const fields: Fields = {};
    if (this.title.value.trim()) fields.title = this.title.value.trim();
    // An unreadable date is sent as typed: the backend says what is wrong with it.
    if (this.start.value) fields.start = dateTimeInputToRfc3339(this.start.value) ?? this.start.value;
    if (this.end.value) fields.end = dateTimeInputToRfc3339(this.end.value) ?? this.end.value;
    if (this.account.value) fields.account = this.account.value;
    if (this.place.value.trim()) fields.place = this.place.value.trim();
    await this.shell.save(() => api.createRecord<CalendarEvent>('event', fields), () => this.close(), (event) => this.onCreated(event));
  }
}

/** The next full hour, as a datetime-local value. */
function nextHour(): string {
  const date = new Date();
  date.setMinutes(0, 0, 0);
  date.setHours(date.getHours() + 1);
  return nowForDateTimeInput(date);
}

function plusOneHour(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  date.setHours(date.getHours() + 1);
  return nowForDateTimeInput(date);
}
