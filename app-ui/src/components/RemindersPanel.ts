//! The reminders: tasks due within a week, contract notice deadlines within 60 days, and
//! open deals past their expected close date, oldest first; overdue ones in red. Each one
//! opens what it is about.

import type { Reminder } from '../api';
import { h, replaceChildren } from '../dom';
import { formatCalendarDate, reminderKindLabel } from '../format';
import { t } from '../i18n';

export class RemindersPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;

  constructor(private readonly onOpen: (reminder: Reminder) => void) {
    this.list = h('ul', { id: 'reminder-list', class: 'item-list' });
    this.count = h('span', { class: 'list-count' });
    this.el = h(
      'section',
      { id: 'reminders', class: 'card', 'aria-labelledby': 'reminders-title' },
      h('div', { class: 'card-header' }, h('h2', { id: 'reminders-title' }, t('reminders.title')), this.count),
      this.list,
    );
  }

  update(reminders: Reminder[], accounts: Map<string, string>): void {
    this.count.textContent = String(reminders.length);
    if (reminders.length === 0) {
      replaceChildren(this.list, h('li', { class: 'list-empty' }, t('reminders.empty')));
      return;
    }
    replaceChildren(
      this.list,
      ...reminders.map((reminder) => {
        const account = reminder.account_id ? accounts.get(reminder.account_id) : null;
        const open = () => this.onOpen(reminder);
        return h(
          'li',
          {
            class: reminder.overdue ? `reminder kind-${reminder.kind} overdue` : `reminder kind-${reminder.kind}`,
            dataset: { id: reminder.id, kind: reminder.kind },
            tabindex: 0,
            role: 'button',
            on: { click: open, keydown: (event) => { if (event.key === 'Enter') open(); } },
          },
          h('span', { class: `reminder-kind kind-${reminder.kind}` }, reminderKindLabel(reminder.kind)),
          h('span', { class: 'reminder-title' }, reminder.title.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (ymd) => formatCalendarDate(ymd))),
          h(
            'span',
            { class: 'reminder-meta' },
            h('span', { class: 'reminder-date' }, reminder.overdue ? t('reminders.overdueSince', { date: formatCalendarDate(reminder.date) }) : formatCalendarDate(reminder.date)),
            account ? h('span', {}, account) : null,
          ),
        );
      }),
    );
  }
}
