// Unit tests of today.ts: what the home page lists at the start of the day, that a task
// due today is listed once although the core also sends it as a reminder, and that the
// user's tasks are apart from their team's.

import { describe, expect, it } from 'vitest';
import type { CalendarEvent, Reminder, Task } from './api';
import { planToday } from './today';

const TODAY = '2026-03-12';

function task(id: string, due: string, done: 'yes' | 'no' = 'no', title = id, assignee: string | null = null): Task {
  return { id, type: 'task', title, due, done, assignee };
}

function event(id: string, start: string): CalendarEvent {
  return { id, type: 'event', title: id, start, end: start };
}

function reminder(kind: Reminder['kind'], id: string, date: string): Reminder {
  return { kind, id, title: id, date, related_date: null, contract_type: null, account_id: null, overdue: date < TODAY };
}

describe("the home page's plan of the day", () => {
  it('lists the open tasks due today or late, the longest overdue first', () => {
    const plan = planToday(
      [],
      [task('tomorrow', '2026-03-13'), task('today', TODAY), task('late', '2026-03-02'), task('finished', '2026-03-01', 'yes')],
      [],
      TODAY,
    );
    expect(plan.tasks.map((t) => t.id)).toEqual(['late', 'today']);
  });

  it('does not list a task twice when it is also a reminder', () => {
    const plan = planToday(
      [],
      [task('t-today', TODAY), task('t-next-week', '2026-03-16')],
      [reminder('task', 't-today', TODAY), reminder('task', 't-next-week', '2026-03-16'), reminder('visit_due', 'acc-1', TODAY)],
      TODAY,
    );
    expect(plan.tasks.map((t) => t.id)).toEqual(['t-today']);
    expect(plan.reminders.map((r) => r.id)).toEqual(['t-next-week', 'acc-1']);
  });

  it('keeps a reminder of another kind that has the id of a listed task', () => {
    const plan = planToday([], [task('x', TODAY)], [reminder('follow_up', 'x', TODAY)], TODAY);
    expect(plan.reminders).toHaveLength(1);
  });

  it('puts the appointments in time order, unreadable starts last', () => {
    const plan = planToday(
      [event('afternoon', '2026-03-12T14:00:00+01:00'), event('broken', 'soon'), event('morning', '2026-03-12T09:30:00+01:00')],
      [],
      [],
      TODAY,
    );
    expect(plan.events.map((e) => e.id)).toEqual(['morning', 'afternoon', 'broken']);
  });

  it("lists the user's own tasks apart from the team's", () => {
    const tasks = [task('mine', TODAY, 'no', 'mine', 'me'), task('alice', '2026-03-10', 'no', 'alice', 'u-alice'), task('later', '2026-03-20', 'no', 'later', 'u-alice')];
    const plan = planToday([], tasks, [], TODAY, (t) => t.assignee === 'me');
    expect(plan.tasks.map((t) => t.id)).toEqual(['mine']);
    expect(plan.teamTasks.map((t) => t.id)).toEqual(['alice']);
  });

  it("never reminds the user of a colleague's task", () => {
    const tasks = [task('mine-next-week', '2026-03-16', 'no', 'mine', 'me'), task('alice-next-week', '2026-03-16', 'no', 'alice', 'u-alice')];
    const plan = planToday([], tasks, [reminder('task', 'mine-next-week', '2026-03-16'), reminder('task', 'alice-next-week', '2026-03-16')], TODAY, (t) => t.assignee === 'me');
    expect(plan.reminders.map((r) => r.id)).toEqual(['mine-next-week']);
  });

  it('counts every task as the user\'s when not told whose they are', () => {
    const plan = planToday([], [task('a', TODAY, 'no', 'a', 'someone')], [], TODAY);
    expect(plan.tasks).toHaveLength(1);
    expect(plan.teamTasks).toEqual([]);
  });
});
