//! The reminders: tasks due within a week, follow-ups, contract notice deadlines within
//! 60 days, open deals past their expected close date, customers due for a visit and
//! tickets past their service target (the user's, or their team's), oldest first; overdue ones in red. Each one opens what it is about. The core sends
//! them as data (kind, dates, names); the words are the app's. Shown on the tasks page
//! and on the home page.

import type { Reminder } from '../api';
import { h, replaceChildren } from '../dom';
import { contractTypeLabel, formatCalendarDate, reminderKindLabel } from '../format';
import { t } from '../i18n';
import type { Route } from '../router';

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

  /** Shows `reminders`; `total` is the count in the title when only some are shown. */
  update(reminders: Reminder[], accounts: Map<string, string>, total: number = reminders.length): void {
    this.count.textContent = String(total);
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
          h('span', { class: 'reminder-title' }, reminderTitle(reminder)),
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

/** The screen a reminder opens: its contract, its deal, its ticket, or its account; the
 *  tasks page for a task or a follow-up attached to no account. */
export function reminderRoute(reminder: Reminder): Route {
  switch (reminder.kind) {
    case 'contract_notice':
      return { name: 'contract', id: reminder.id };
    case 'deal_overdue':
      return { name: 'deal', id: reminder.id };
    case 'ticket_sla':
      return { name: 'ticket', id: reminder.id };
    default:
      return reminder.account_id ? { name: 'account', id: reminder.account_id } : { name: 'tasks' };
  }
}

/** What the reminder is about, in the user's language. */
export function reminderTitle(reminder: Reminder): string {
  const related = reminder.related_date ? formatCalendarDate(reminder.related_date) : null;
  switch (reminder.kind) {
    case 'contract_notice': {
      const what = reminder.contract_type ? contractTypeLabel(reminder.contract_type) : t('contract.title');
      return related ? t('reminders.noticeBefore', { contract: what, date: related }) : what;
    }
    case 'visit_due':
      return related
        ? t('reminders.visitSince', { account: reminder.title, date: related })
        : t('reminders.visitNever', { account: reminder.title });
    default:
      return reminder.title;
  }
}
