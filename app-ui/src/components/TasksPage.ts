//! Tasks and reminders: the open tasks by due date (finished ones on demand), each with a
//! checkbox that marks it done; the "Nouvelle tâche" form; and the reminders panel.

import { api, type Account, type Reminder, type Task } from '../api';
import { h, replaceChildren } from '../dom';
import { formatCalendarDate, todayYmd } from '../format';
import { t, tCount } from '../i18n';
import { Reloader } from '../reload';
import { routeToHash } from '../router';
import { accountNames } from './AccountSelect';
import { FormError, messageOf } from './FormField';
import { RemindersPanel } from './RemindersPanel';
import { TaskForm } from './TaskForm';

export interface TasksPageActions {
  onOpenReminder: (reminder: Reminder) => void;
  onChanged: () => void;
}

/** Whether finished tasks are shown, kept while the app runs. */
let showDone = false;

export class TasksPage {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly error = new FormError();
  private readonly form: TaskForm;
  private readonly newButton: HTMLButtonElement;
  private readonly reminders: RemindersPanel;
  private accounts: Account[] = [];
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor(private readonly actions: TasksPageActions) {
    this.list = h('ul', { id: 'task-list', class: 'task-list' });
    this.count = h('span', { class: 'count-pill' });
    this.reminders = new RemindersPanel((reminder) => {
      if (reminder.kind === 'task') this.highlight(reminder.id);
      else actions.onOpenReminder(reminder);
    });
    this.newButton = h('button', { id: 'new-task-button', type: 'button', class: 'button button-primary button-small', on: { click: () => this.openForm() } }, '+ ', t('tasks.new'));
    this.form = new TaskForm(
      () => {
        this.newButton.hidden = false;
        this.actions.onChanged();
        void this.refresh();
      },
      () => (this.newButton.hidden = false),
    );
    const doneToggle = h('input', {
      id: 'show-done-tasks',
      type: 'checkbox',
      checked: showDone,
      on: {
        change: () => {
          showDone = doneToggle.checked;
          void this.refresh();
        },
      },
    });
    this.el = h(
      'section',
      { id: 'tasks-page', class: 'page' },
      h('div', { class: 'page-header' }, h('div', {}, h('h1', { class: 'page-title' }, t('tasks.title')), h('div', { class: 'page-subtitle' }, t('tasks.subtitle')))),
      this.error.el,
      h(
        'div',
        { class: 'tasks-layout' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'tasks-title' },
          h(
            'div',
            { class: 'card-header' },
            h('div', { class: 'card-title' }, h('h2', { id: 'tasks-title' }, t('tasks.list')), this.count),
            this.newButton,
          ),
          h('div', { class: 'card-toolbar' }, h('label', { class: 'checkbox-label' }, doneToggle, t('tasks.showDone'))),
          this.form.el,
          this.list,
        ),
        this.reminders.el,
      ),
    );
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const [tasks, reminders, accounts] = await Promise.all([api.listTasks(showDone), api.reminders(), api.listAccounts()]);
      return {
        shown: [showDone, tasks, reminders, accounts],
        show: () => {
          this.accounts = accounts;
          const names = accountNames(accounts);
          this.error.clear();
          this.renderTasks(tasks, names);
          this.reminders.update(reminders, names);
        },
      };
    });
  }

  private openForm(): void {
    this.newButton.hidden = true;
    this.form.open(this.accounts);
  }

  private renderTasks(tasks: Task[], names: Map<string, string>): void {
    const open = tasks.filter((task) => task.done !== 'yes').length;
    this.count.textContent = tCount('tasks.openCount', open);
    if (tasks.length === 0) {
      replaceChildren(this.list, h('li', { class: 'list-empty' }, t('tasks.empty')));
      return;
    }
    const today = todayYmd();
    replaceChildren(
      this.list,
      ...tasks.map((task) => {
        const done = task.done === 'yes';
        const late = !done && task.due < today;
        const box = h('input', {
          type: 'checkbox',
          class: 'task-done',
          checked: done,
          'aria-label': done ? t('tasks.markOpen', { title: task.title }) : t('tasks.markDone', { title: task.title }),
        });
        box.addEventListener('change', () => void this.setDone(task, box));
        const account = task.account ? names.get(task.account) : null;
        return h(
          'li',
          { class: `task${done ? ' done' : ''}${late ? ' late' : ''}${task.due === today ? ' today' : ''}`, dataset: { id: task.id } },
          box,
          h(
            'div',
            { class: 'task-body' },
            h('div', { class: 'task-title' }, task.title),
            h(
              'div',
              { class: 'task-meta' },
              h('span', { class: 'task-due' }, late ? t('tasks.lateSince', { date: formatCalendarDate(task.due) }) : task.due === today ? t('tasks.dueToday') : t('tasks.dueOn', { date: formatCalendarDate(task.due) })),
              task.account ? h('a', { href: routeToHash({ name: 'account', id: task.account }) }, account ?? t('pipeline.unknownAccount')) : null,
            ),
          ),
        );
      }),
    );
  }

  /** Shows a task of the list (a task reminder was clicked). */
  private highlight(id: string): void {
    const row = [...this.list.querySelectorAll<HTMLElement>('li.task')].find((li) => li.dataset.id === id);
    if (!row) return;
    row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    row.classList.remove('flash');
    void row.offsetWidth;
    row.classList.add('flash');
  }

  private async setDone(task: Task, box: HTMLInputElement): Promise<void> {
    this.error.clear();
    box.disabled = true;
    try {
      await api.editRecord(task.id, { done: box.checked ? 'yes' : 'no' });
      this.actions.onChanged();
    } catch (reason) {
      box.checked = !box.checked;
      this.error.show(messageOf(reason));
    } finally {
      box.disabled = false;
    }
    await this.refresh(true);
  }
}
