//! What the home page puts in front of the user at the start of the day, decided from the
//! data the backend sends: today's events in time order, the user's own open tasks due
//! today or late, their team's (for a manager, who also receives them), and the reminders
//! that are not one of those tasks (a task due today is both a task and a reminder of kind
//! `task`: it is listed once, with the tasks). A colleague's task is never a reminder of
//! the user's.

import type { CalendarEvent, Reminder, Task } from './api';

export interface TodayPlan {
  /** Events starting today, earliest first. */
  events: CalendarEvent[];
  /** The user's open tasks due today or earlier, the longest overdue first, then by title. */
  tasks: Task[];
  /** The same for the other people's tasks the user receives (a manager's team). */
  teamTasks: Task[];
  /** The reminders, in the core's order (oldest first), without the tasks above. */
  reminders: Reminder[];
}

/**
 * `today` is YYYY-MM-DD, local time; `events` are those the agenda gave for today;
 * `isMine` says whether a task is the user's (all of them when not given).
 */
export function planToday(
  events: readonly CalendarEvent[],
  tasks: readonly Task[],
  reminders: readonly Reminder[],
  today: string,
  isMine: (task: Task) => boolean = () => true,
): TodayPlan {
  const due = tasks
    .filter((task) => task.done !== 'yes' && task.due !== '' && task.due <= today)
    .sort((a, b) => a.due.localeCompare(b.due) || a.title.localeCompare(b.title, 'fr'));
  const mine = due.filter(isMine);
  // Not a reminder: the user's tasks listed above, and every task of someone else.
  const notReminders = new Set([...mine.map((task) => task.id), ...tasks.filter((task) => !isMine(task)).map((task) => task.id)]);
  return {
    events: [...events].sort((a, b) => startTime(a) - startTime(b)),
    tasks: mine,
    teamTasks: due.filter((task) => !isMine(task)),
    reminders: reminders.filter((reminder) => !(reminder.kind === 'task' && notReminders.has(reminder.id))),
  };
}

/** An event's start in milliseconds; an unreadable start sorts last. */
function startTime(event: CalendarEvent): number {
  const time = new Date(event.start).getTime();
  return Number.isNaN(time) ? Number.MAX_SAFE_INTEGER : time;
}
