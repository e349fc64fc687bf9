//! What the home page puts in front of the user at the start of the day, decided from the
//! data the backend sends: today's events in time order, the open tasks due today or late,
//! and the reminders that are not one of those tasks (a task due today is both a task and
//! a reminder of kind `task`: it is listed once, with the tasks).

import type { CalendarEvent, Reminder, Task } from './api';

export interface TodayPlan {
  /** Events starting today, earliest first. */
  events: CalendarEvent[];
  /** Open tasks due today or earlier, the longest overdue first, then by title. */
  tasks: Task[];
  /** The reminders, in the core's order (oldest first), without the tasks above. */
  reminders: Reminder[];
}

/** `today` is YYYY-MM-DD, local time; `events` are those the agenda gave for today. */
export function planToday(events: readonly CalendarEvent[], tasks: readonly Task[], reminders: readonly Reminder[], today: string): TodayPlan {
  const due = tasks
    .filter((task) => task.done !== 'yes' && task.due !== '' && task.due <= today)
    .sort((a, b) => a.due.localeCompare(b.due) || a.title.localeCompare(b.title, 'fr'));
  const listed = new Set(due.map((task) => task.id));
  return {
    events: [...events].sort((a, b) => startTime(a) - startTime(b)),
    tasks: due,
    reminders: reminders.filter((reminder) => !(reminder.kind === 'task' && listed.has(reminder.id))),
  };
}

/** An event's start in milliseconds; an unreadable start sorts last. */
function startTime(event: CalendarEvent): number {
  const time = new Date(event.start).getTime();
  return Number.isNaN(time) ? Number.MAX_SAFE_INTEGER : time;
}
