//! The "Nouvelle activité" form: a visit report, a note, a call, an e-mail or a meeting,
//! and who took part: the account's contacts, ticked by name (the activity's `contacts`).
//! The date defaults to now; it is sent as RFC 3339 with this computer's offset.
//! An activity names no deal: the record has no such field (crm-core's schema). Opened
//! from the incoming-call card, it comes filled in: a call, with the caller ticked.

import { api, type Activity, type Contact, type Fields } from '../api';
import { h, replaceChildren } from '../dom';
import { activityKindLabel, dateTimeInputToRfc3339, nowForDateTimeInput } from '../format';
import { t } from '../i18n';
import { formField, messageOf } from './FormField';
import { FormShell } from './FormShell';

const ACTIVITY_KINDS = ['visit', 'note', 'call', 'email', 'meeting'] as const;

/** What the form starts with, when it is opened for a known purpose. */
export interface ActivityPreset {
  kind?: string;
  subject?: string;
  /** The contacts ticked among the participants. */
  contacts?: readonly string[];
}

export class ActivityForm {
  readonly el: HTMLFormElement;
  private readonly kind: HTMLSelectElement;
  private readonly subject: HTMLInputElement;
  private readonly at: HTMLInputElement;
  private readonly body: HTMLTextAreaElement;
  private readonly followUp: HTMLInputElement;
  private readonly participants: HTMLElement;
  private readonly shell: FormShell;
  private loading = 0;
  private preset: ActivityPreset = {};

  constructor(private readonly accountId: string, private readonly onCreated: (activity: Activity) => void, onCancel: () => void) {
    this.kind = h('select', { name: 'kind', value: 'visit' }, ...ACTIVITY_KINDS.map((kind) => h('option', { value: kind }, activityKindLabel(kind))));
    this.subject = h('input', { name: 'subject', type: 'text', autocomplete: 'off' });
    this.at = h('input', { name: 'at', type: 'datetime-local' });
    this.body = h('textarea', { name: 'body', rows: 6 });
    this.followUp = h('input', { name: 'follow_up', type: 'date' });
    this.participants = h('div', { class: 'choice-list' });
    this.shell = new FormShell(
      { id: 'activity-form', class: 'inline-form' },
      { onSubmit: () => void this.save(), onCancel: () => { this.close(); onCancel(); } },
      h(
        'div',
        { class: 'form-grid' },
        formField(t('field.activity.kind'), this.kind),
        formField(t('field.at'), this.at),
        formField(t('field.subject'), this.subject, { wide: true }),
        formField(t('field.body'), this.body, { wide: true }),
        formField(t('field.follow_up'), this.followUp),
        h(
          'fieldset',
          { id: 'activity-contacts', class: 'form-field wide choice-field' },
          h('legend', {}, t('activity.participants')),
          this.participants,
        ),
      ),
    );
    this.el = this.shell.el;
  }

  open(preset: ActivityPreset = {}): void {
    this.preset = preset;
    this.at.value = nowForDateTimeInput();
    if (preset.kind) this.kind.value = preset.kind;
    if (preset.subject) this.subject.value = preset.subject;
    this.el.hidden = false;
    this.subject.focus();
    void this.loadParticipants();
  }

  /** The account's contacts as boxes to tick, by name; read again at each opening. */
  private async loadParticipants(): Promise<void> {
    const loading = ++this.loading;
    replaceChildren(this.participants, h('span', { class: 'muted' }, t('account.loading')));
    let contacts: Contact[];
    try {
      contacts = (await api.accountView(this.accountId)).contacts;
    } catch (reason) {
      if (loading === this.loading) replaceChildren(this.participants, h('span', { class: 'form-error' }, messageOf(reason)));
      return;
    }
    if (loading !== this.loading) return;
    if (contacts.length === 0) {
      replaceChildren(this.participants, h('span', { class: 'muted' }, t('activity.noContacts')));
      return;
    }
    const sorted = [...contacts].sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }));
    replaceChildren(
      this.participants,
      ...sorted.map((contact) =>
        h(
          'label',
          { class: 'checkbox-label', dataset: { id: contact.id } },
          h('input', { type: 'checkbox', name: 'contacts', value: contact.id, checked: this.preset.contacts?.includes(contact.id) ?? false }),
          contact.name,
          contact.job_title ? h('span', { class: 'muted' }, ` · ${contact.job_title}`) : null,
        ),
      ),
    );
  }

  /** The ids of the contacts ticked. */
  private checkedContacts(): string[] {
    return [...this.participants.querySelectorAll<HTMLInputElement>('input[name="contacts"]:checked')].map((box) => box.value);
  }

  close(): void {
    this.shell.close();
    this.kind.value = 'visit';
    this.preset = {};
  }

  private async save(): Promise<void> {
    const fields: Fields = { account: this.accountId, kind: this.kind.value };
    // An unreadable date is sent as typed: the backend says what is wrong with it.
    const at = this.at.value === '' ? null : dateTimeInputToRfc3339(this.at.value) ?? this.at.value;
    if (at) fields.at = at;
    if (this.subject.value.trim()) fields.subject = this.subject.value.trim();
    if (this.body.value.trim()) fields.body = this.body.value;
    if (this.followUp.value) fields.follow_up = this.followUp.value;
    const contacts = this.checkedContacts();
    if (contacts.length > 0) fields.contacts = contacts;

    await this.shell.save(() => api.createRecord<Activity>('activity', fields), () => this.close(), (activity) => this.onCreated(activity));
  }
}
