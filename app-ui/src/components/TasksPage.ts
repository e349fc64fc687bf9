//! Tasks and reminders: "Vos tâches", the user's open tasks by due date (finished ones on
//! demand), each with a checkbox that marks it done; for a sales manager or an
//! administrator, "Tâches de l'équipe" below, the others' with whose each one is; the
//! "Nouvelle tâche" form; and the reminders panel (without the others' tasks).

import { api, type Account, type Person, type Reminder, type Task } from '../api';
import { h, replaceChildren } from '../dom';
import { formatCalendarDate, todayYmd } from '../format';
import { t, tCount } from '../i18n';
import { accountOwners, PeopleNames, splitMine, taskOwner } from '../people';
import { Reloader } from '../reload';
import { routeToHash } from '../router';
import { may, seesOthers, signedInUser } from '../session';
import { accountNames } from './AccountSelect';
import { FormError, messageOf } from './FormField';
import { RemindersPanel } from './RemindersPanel';
import { loadSalesSettings } from '../stages';
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
  private readonly teamList: HTMLUListElement;
  private readonly teamCount: HTMLElement;
  /** Whether the user sees other people's tasks: the team's card shows. */
  private readonly showTeam = seesOthers('task');
  private readonly mayEdit = may('edit', 'task');
  private readonly error = new FormError();
  private readonly form: TaskForm;
  private readonly newButton: HTMLButtonElement;
  private readonly reminders: RemindersPanel;
  private accounts: Account[] = [];
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor(private readonly actions: TasksPageActions) {
    this.list = h('ul', { id: 'task-list', class: 'task-list' });
    this.count = h('span', { class: 'count-pill' });
    this.teamList = h('ul', { id: 'team-task-list', class: 'task-list' });
    this.teamCount = h('span', { class: 'count-pill' });
    this.reminders = new RemindersPanel((reminder) => {
      if (reminder.kind === 'task') this.highlight(reminder.id);
      else actions.onOpenReminder(reminder);
    });
    this.newButton = h(
      'button',
      { id: 'new-task-button', type: 'button', class: 'button button-primary button-small', hidden: !may('create', 'task'), on: { click: () => this.openForm() } },
      '+ ',
      t('tasks.new'),
    );
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
          'div',
          { class: 'tasks-main' },
          h(
            'section',
            { id: 'my-tasks', class: 'card', 'aria-labelledby': 'tasks-title' },
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
          this.showTeam
            ? h(
                'section',
                { id: 'team-tasks', class: 'card', 'aria-labelledby': 'team-tasks-title' },
                h('div', { class: 'card-header' }, h('div', { class: 'card-title' }, h('h2', { id: 'team-tasks-title' }, t('tasks.team')), this.teamCount)),
                this.teamList,
              )
            : null,
        ),
        this.reminders.el,
      ),
    );
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const [tasks, reminders, accounts, people] = await Promise.all([
        api.listTasks(showDone),
        api.reminders(),
        api.listAccounts(),
        // Names only: without the directory the team's tasks say « Utilisateur inconnu ».
        this.showTeam ? api.people().catch((): Person[] => []) : Promise.resolve([]),
        // Contract types by name in the notice reminders.
        loadSalesSettings(),
      ]);
      return {
        shown: [showDone, tasks, reminders, accounts, people],
        show: () => {
          this.accounts = accounts;
          const names = accountNames(accounts);
          const owners = accountOwners(accounts);
          const ownerOf = (task: Task) => taskOwner(task, owners);
          const me = signedInUser()?.id ?? null;
          const { mine, others } = splitMine(tasks, ownerOf, me);
          this.error.clear();
          this.renderTasks(this.list, this.count, mine, names, t('tasks.empty'));
          if (this.showTeam) {
            const whose = new PeopleNames(people, me);
            this.renderTasks(this.teamList, this.teamCount, others, names, t('tasks.teamEmpty'), (task) => whose.of(ownerOf(task)) ?? t('tasks.unassigned'));
          }
          // A colleague's task is not a reminder of the user's: it is on the team's list.
          const othersIds = new Set(others.map((task) => task.id));
          this.reminders.update(reminders.filter((reminder) => !(reminder.kind === 'task' && othersIds.has(reminder.id))), names);
        },
      };
    });
  }

  private openForm(): void {
    this.newButton.hidden = true;
    this.form.open(this.accounts);
  }

  /** `ownerName`, for the team's list: whose each task is. */
  private renderTasks(
    list: HTMLUListElement,
    count: HTMLElement,
    tasks: Task[],
    names: Map<string, string>,
    empty: string,
    ownerName?: (task: Task) => string,
  ): void {
    const open = tasks.filter((task) => task.done !== 'yes').length;
    count.textContent = tCount('tasks.openCount', open);
    if (tasks.length === 0) {
      replaceChildren(list, h('li', { class: 'list-empty' }, empty));
      return;
    }
    const today = todayYmd();
    replaceChildren(
      list,
      ...tasks.map((task) => {
        const done = task.done === 'yes';
        const late = !done && task.due < today;
        const box = h('input', {
          type: 'checkbox',
          class: 'task-done',
          checked: done,
          disabled: !this.mayEdit,
          'aria-label': done ? t('tasks.markOpen', { title: task.title }) : t('tasks.markDone', { title: task.title }),
        });
        box.addEventListener('change', () => void this.setDone(task, box));
        const account = task.account ? names.get(task.account) : null;
        const owner = ownerName?.(task);
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
              owner ? h('span', { class: 'task-owner', title: t('tasks.ownerTitle', { name: owner }) }, owner) : null,
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
    const row = [...this.el.querySelectorAll<HTMLElement>('li.task')].find((li) => li.dataset.id === id);
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
      box.disabled = !this.mayEdit;
    }
    await this.refresh(true);
  }
}
