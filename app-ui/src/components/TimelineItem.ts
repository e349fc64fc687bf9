//! One activity of the timeline, with who wrote it and its "Modifier" action (for those
//! who may edit activities) editing the subject and the report in place.

import { api, ApiError, type Activity, type Contact, type Fields } from '../api';
import { h, replaceChildren } from '../dom';
import { activityKindLabel, formatCalendarDate, formatDateTime, formatDateTimeLong } from '../format';
import { t } from '../i18n';
import { writtenBy, type PeopleNames } from '../people';
import { may } from '../session';
import { ConflictPanel } from './ConflictPanel';
import { FormError, formField, whileBusy } from './FormField';

export class TimelineItem {
  readonly el: HTMLLIElement;
  /** True while the editor is open: the timeline leaves this item alone on refresh. */
  editing = false;

  constructor(private activity: Activity, private contacts: Contact[], private people: PeopleNames, private readonly onChanged: () => void) {
    this.el = h('li', { class: `timeline-item kind-${activity.kind}`, dataset: { id: activity.id, kind: activity.kind } });
    this.renderView();
  }

  private renderView(): void {
    const activity = this.activity;
    const names = (activity.contacts ?? [])
      .map((id) => this.contacts.find((contact) => contact.id === id)?.name)
      .filter((name): name is string => Boolean(name));
    const conflicts = new ConflictPanel(this.onChanged, true);
    conflicts.update(activity.id, activity.conflicts, activity.type);
    const author = writtenBy(activity.owner, this.people);

    replaceChildren(
      this.el,
      h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }),
      h(
        'article',
        { class: 'timeline-card' },
        h(
          'header',
          { class: 'timeline-head' },
          h('span', { class: `activity-kind kind-${activity.kind}` }, activityKindLabel(activity.kind)),
          h('time', { class: 'timeline-date', datetime: activity.at, title: formatDateTimeLong(activity.at) }, formatDateTime(activity.at)),
          author ? h('span', { class: 'timeline-author', dataset: { owner: activity.owner ?? '' } }, author) : null,
          may('edit', 'activity')
            ? h('button', { type: 'button', class: 'button button-ghost button-small timeline-edit', on: { click: () => this.renderEditor() } }, t('timeline.edit'))
            : null,
        ),
        h('h3', { class: activity.subject ? 'timeline-subject' : 'timeline-subject muted' }, activity.subject || t('timeline.noSubject')),
        activity.body ? h('p', { class: 'timeline-body' }, activity.body) : null,
        names.length || activity.follow_up
          ? h(
              'footer',
              { class: 'timeline-foot' },
              names.length ? h('span', {}, '👤 ', names.join(', ')) : null,
              activity.follow_up ? h('span', { class: 'follow-up' }, t('timeline.followUp', { date: formatCalendarDate(activity.follow_up) })) : null,
            )
          : null,
        conflicts.el,
      ),
    );
  }

  private renderEditor(): void {
    this.editing = true;
    const subject = h('input', { name: 'subject', type: 'text', value: this.activity.subject ?? '' });
    const body = h('textarea', { name: 'body', rows: 6, value: this.activity.body ?? '' });
    const error = new FormError();
    const submit = h('button', { type: 'submit', class: 'button button-primary button-small' }, t('form.save'));
    const form = h(
      'form',
      {
        class: 'timeline-card timeline-editor',
        novalidate: true,
        on: {
          submit: (event) => {
            event.preventDefault();
            error.clear();
            const fields: Fields = {};
            const newSubject = subject.value.trim();
            if (newSubject !== (this.activity.subject ?? '')) fields.subject = newSubject === '' ? null : newSubject;
            if (body.value !== (this.activity.body ?? '')) fields.body = body.value === '' ? null : body.value;
            if (Object.keys(fields).length === 0) return this.closeEditor();
            void whileBusy(submit, t('form.saving'), async () => {
              try {
                this.activity = await api.editRecord<Activity>(this.activity.id, fields);
                this.closeEditor();
                this.onChanged();
              } catch (reason) {
                error.show(reason instanceof ApiError ? reason.message : String(reason));
              }
            });
          },
        },
      },
      h('header', { class: 'timeline-head' }, h('span', { class: `activity-kind kind-${this.activity.kind}` }, activityKindLabel(this.activity.kind)), h('time', { class: 'timeline-date' }, formatDateTime(this.activity.at))),
      formField(t('field.subject'), subject, { wide: true }),
      formField(t('field.body'), body, { wide: true }),
      error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary button-small', on: { click: () => this.closeEditor() } }, t('form.cancel')),
        submit,
      ),
    );
    replaceChildren(this.el, h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }), form);
    subject.focus();
  }

  private closeEditor(): void {
    this.editing = false;
    this.renderView();
  }

  /** Shows newer data, unless the user is editing this item. */
  update(activity: Activity, contacts: Contact[], people: PeopleNames): void {
    if (this.editing) return;
    this.activity = activity;
    this.contacts = contacts;
    this.people = people;
    this.renderView();
  }
}
