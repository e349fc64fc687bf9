//! The appointment form of the agenda: "Nouveau rendez-vous", or an appointment opened
//! from the week, prefilled (title, start and end in local time, account, place, notes),
//! to change it, move it (a new start keeps the duration, as calendars do) or delete it
//! once confirmed; "Ouvrir le tiers" when it has an account. Saving an edit sends only
//! what changed (eventEdit.ts); times are sent as RFC 3339 with this computer's offset.
//! What the role may not do is not offered: an appointment the user may not change opens
//! read only, and "Supprimer" shows only to those who may delete it. Esc closes.

import { api, type Account, type CalendarEvent } from '../api';
import { h } from '../dom';
import { changedEventFields, endKeepingDuration, eventValues, newEventFields, type EventValues } from '../eventEdit';
import { nowForDateTimeInput } from '../format';
import { t } from '../i18n';
import { routeToHash } from '../router';
import { mayOn } from '../session';
import { accountSelect, setAccounts } from './AccountSelect';
import { ConfirmBar } from './ConfirmBar';
import { formField, messageOf, whileBusy } from './FormField';
import { FormShell } from './FormShell';

export interface EventFormActions {
  /** An appointment was created or changed. */
  onSaved: (event: CalendarEvent) => void;
  onDeleted: (id: string) => void;
  /** Closed without saving (Annuler, Fermer or Esc). */
  onClosed: () => void;
  onOpenAccount: (id: string) => void;
}

export class EventForm {
  readonly el: HTMLFormElement;
  private readonly title: HTMLInputElement;
  private readonly start: HTMLInputElement;
  private readonly end: HTMLInputElement;
  private readonly account: HTMLSelectElement;
  private readonly place: HTMLInputElement;
  private readonly notes: HTMLTextAreaElement;
  private readonly heading: HTMLHeadingElement;
  private readonly owner: HTMLElement;
  private readonly openAccount: HTMLAnchorElement;
  private readonly deleteButton: HTMLButtonElement;
  private readonly confirm = new ConfirmBar('event-delete-confirm');
  private readonly shell: FormShell;
  /** The appointment opened; null for a new one. */
  private editing: CalendarEvent | null = null;
  /** The form as it was opened: an edit sends what differs from it. */
  private before: EventValues | null = null;
  private readOnly = false;
  /** The start before its last change, to move the end by as much. */
  private previousStart = '';

  constructor(private readonly actions: EventFormActions) {
    this.title = h('input', { name: 'title', type: 'text', autocomplete: 'off', placeholder: t('agenda.titlePlaceholder') });
    this.start = h('input', { name: 'start', type: 'datetime-local', on: { change: () => this.startChanged() } });
    this.end = h('input', { name: 'end', type: 'datetime-local' });
    this.account = accountSelect({ emptyLabel: t('form.none') });
    this.place = h('input', { name: 'place', type: 'text', autocomplete: 'off' });
    this.notes = h('textarea', { name: 'notes', rows: 2 });
    this.heading = h('h2', { id: 'event-form-title', tabindex: -1 }, t('agenda.new'));
    this.owner = h('p', { id: 'event-owner', class: 'muted', hidden: true });
    this.openAccount = h(
      'a',
      {
        id: 'event-open-account',
        class: 'card-header-link',
        href: '#',
        hidden: true,
        on: {
          click: (event) => {
            event.preventDefault();
            if (this.editing?.account) this.actions.onOpenAccount(this.editing.account);
          },
        },
      },
      t('agenda.openAccount'),
    );
    this.deleteButton = h(
      'button',
      { id: 'event-delete', type: 'button', class: 'button button-danger button-small', hidden: true, on: { click: () => void this.remove() } },
      t('agenda.delete'),
    );
    this.shell = new FormShell(
      { id: 'event-form', class: 'card record-form' },
      { onSubmit: () => void this.save(), onCancel: () => this.cancel() },
      h(
        'div',
        { class: 'card-header' },
        this.heading,
        h('div', { class: 'event-form-tools' }, this.openAccount, this.deleteButton),
      ),
      this.owner,
      this.confirm.el,
      h(
        'div',
        { class: 'form-grid' },
        formField(t('field.event.title'), this.title, { wide: true }),
        formField(t('field.event.start'), this.start),
        formField(t('field.event.end'), this.end),
        formField(t('field.account'), this.account),
        formField(t('field.place'), this.place),
        formField(t('field.notes'), this.notes, { wide: true }),
      ),
    );
    this.el = this.shell.el;
    this.el.setAttribute('aria-labelledby', this.heading.id);
    // Esc closes the form; a question open in it (the deletion's) closes first, alone.
    this.el.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || this.el.hidden) return;
      event.preventDefault();
      this.cancel();
    });
  }

  /** Opens a new appointment starting at `start` (a datetime-local value), one hour long. */
  open(accounts: Account[], start: string | null = null): void {
    this.reset(null);
    setAccounts(this.account, accounts, '');
    const from = start ?? nextHour();
    this.fill({ title: '', start: from, end: endKeepingDuration('', from, ''), account: '', place: '', notes: '' });
    this.show();
  }

  /** Opens `event` to change, move or delete it; `ownerName` says whose it is (the team's agenda). */
  openEvent(event: CalendarEvent, accounts: Account[], ownerName: string | null = null): void {
    this.reset(event);
    setAccounts(this.account, accounts, event.account ?? '');
    // An account this device does not list stays attached, under a neutral name.
    if (event.account && this.account.value !== event.account) {
      this.account.appendChild(h('option', { value: event.account }, t('pipeline.unknownAccount')));
      this.account.value = event.account;
    }
    this.fill(eventValues(event));
    this.before = this.values();
    this.readOnly = !mayOn('edit', 'event', event.owner);
    for (const control of this.controls()) control.disabled = this.readOnly;
    this.shell.setReadOnly(this.readOnly);
    this.heading.textContent = this.readOnly ? t('agenda.view') : t('agenda.edit');
    this.owner.textContent = ownerName ? t('agenda.ownerTitle', { name: ownerName }) : '';
    this.owner.hidden = !ownerName;
    if (event.account) this.openAccount.href = routeToHash({ name: 'account', id: event.account });
    this.openAccount.hidden = !event.account;
    this.deleteButton.hidden = !mayOn('delete', 'event', event.owner);
    this.el.dataset.id = event.id;
    this.show();
  }

  close(): void {
    this.confirm.cancel();
    this.shell.close();
    this.reset(null);
  }

  private cancel(): void {
    this.close();
    this.actions.onClosed();
  }

  /** Back to a new appointment's form: every field editable, no deletion, no link. */
  private reset(event: CalendarEvent | null): void {
    this.confirm.cancel();
    this.shell.error.clear();
    this.editing = event;
    this.before = null;
    this.readOnly = false;
    for (const control of this.controls()) control.disabled = false;
    this.shell.setReadOnly(false);
    this.heading.textContent = t('agenda.new');
    this.owner.hidden = true;
    this.openAccount.hidden = true;
    this.deleteButton.hidden = true;
    delete this.el.dataset.id;
  }

  private show(): void {
    this.el.hidden = false;
    if (this.readOnly) this.shell.focusCancel();
    else this.title.focus();
  }

  private controls(): Array<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> {
    return [this.title, this.start, this.end, this.account, this.place, this.notes];
  }

  private fill(values: EventValues): void {
    this.title.value = values.title;
    this.start.value = values.start;
    this.end.value = values.end;
    this.account.value = values.account;
    this.place.value = values.place;
    this.notes.value = values.notes;
    this.previousStart = values.start;
  }

  private values(): EventValues {
    return {
      title: this.title.value,
      start: this.start.value,
      end: this.end.value,
      account: this.account.value,
      place: this.place.value,
      notes: this.notes.value,
    };
  }

  /** Moving the start moves the end with it: the appointment keeps its duration. */
  private startChanged(): void {
    if (!this.start.value || Number.isNaN(new Date(this.start.value).getTime())) return;
    this.end.value = endKeepingDuration(this.previousStart, this.start.value, this.end.value);
    this.previousStart = this.start.value;
  }

  private async save(): Promise<void> {
    if (this.readOnly) return;
    const editing = this.editing;
    const before = this.before;
    if (!editing || !before) {
      const fields = newEventFields(this.values());
      await this.shell.save(() => api.createRecord<CalendarEvent>('event', fields), () => this.close(), (event) => this.actions.onSaved(event));
      return;
    }
    const changed = changedEventFields(before, this.values());
    await this.shell.save(
      () => (Object.keys(changed).length > 0 ? api.editRecord<CalendarEvent>(editing.id, changed) : Promise.resolve(editing)),
      () => this.close(),
      (event) => this.actions.onSaved(event),
    );
  }

  /** Deletes the appointment open, once the user confirmed. */
  private async remove(): Promise<void> {
    const event = this.editing;
    if (!event) return;
    this.shell.error.clear();
    const confirmed = await this.confirm.ask({
      question: t('agenda.deleteConfirm', { title: event.title }),
      yesLabel: t('agenda.deleteYes'),
      yesId: 'event-delete-yes',
      noId: 'event-delete-no',
      danger: true,
    });
    if (!confirmed || this.editing !== event) {
      if (this.editing === event) this.deleteButton.focus();
      return;
    }
    await whileBusy(this.deleteButton, t('agenda.deleting'), async () => {
      try {
        await api.deleteRecord(event.id, 'event');
        this.close();
        this.actions.onDeleted(event.id);
      } catch (reason) {
        this.shell.error.show(messageOf(reason));
      }
    });
  }
}

/** The next full hour, as a datetime-local value. */
function nextHour(): string {
  const date = new Date();
  date.setMinutes(0, 0, 0);
  date.setHours(date.getHours() + 1);
  return nowForDateTimeInput(date);
}
