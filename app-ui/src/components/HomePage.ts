//! What the main area shows when no account is open: the start of a rep's day. "Aujourd'hui"
//! with today's appointments and the user's tasks due today or late (for a sales manager,
//! their team's below, with whose each one is); beside them the accounts opened last (one
//! click back to the morning's customer) and the other reminders. Every entry opens what
//! it is about; "+ Nouveau tiers" stays at the top for those who may create accounts. The
//! choice of what to list is `planToday`'s; this file only draws it.

import { api, type Account, type CalendarEvent, type Person, type Task } from '../api';
import { h, replaceChildren } from '../dom';
import { addDays, formatCalendarDate, formatTime, todayYmd, toYmd } from '../format';
import { locale, t, tCount } from '../i18n';
import { recentAccounts, storeRecentAccounts, type RecentAccount } from '../recentAccounts';
import { Reloader } from '../reload';
import { navigate, type Route } from '../router';
import { accountOwners, PeopleNames, taskOwner } from '../people';
import { may, seesOthers, signedInUser } from '../session';
import { planToday } from '../today';
import { accountNames } from './AccountSelect';
import { FormError, messageOf } from './FormField';
import { routeLink } from './RecordLinks';
import { reminderRoute, RemindersPanel } from './RemindersPanel';
import { loadSalesSettings } from '../stages';

/** Reminders shown here; the rest are one click away on the tasks page. */
const REMINDERS_SHOWN = 5;

export class HomePage {
  readonly el: HTMLElement;
  private readonly date: HTMLElement;
  private readonly events: HTMLUListElement;
  private readonly eventCount: HTMLElement;
  private readonly tasks: HTMLUListElement;
  private readonly taskCount: HTMLElement;
  private readonly teamTasks: HTMLUListElement;
  private readonly teamTaskCount: HTMLElement;
  /** Whether the user sees other people's tasks: their team's card shows. */
  private readonly showTeam = seesOthers('task');
  private readonly reminders: RemindersPanel;
  private readonly moreReminders: HTMLAnchorElement;
  private readonly recent: HTMLElement;
  private readonly recentList: HTMLUListElement;
  private readonly error = new FormError();
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor() {
    this.date = h('div', { id: 'home-date', class: 'page-subtitle' });
    this.events = h('ul', { id: 'home-events', class: 'item-list' });
    this.eventCount = h('span', { class: 'count-pill' });
    this.tasks = h('ul', { id: 'home-tasks', class: 'item-list' });
    this.taskCount = h('span', { class: 'count-pill' });
    this.teamTasks = h('ul', { id: 'home-team-tasks', class: 'item-list' });
    this.teamTaskCount = h('span', { class: 'count-pill' });
    this.reminders = new RemindersPanel((reminder) => navigate(reminderRoute(reminder)));
    this.moreReminders = routeLink({ name: 'tasks' }, { id: 'home-more-reminders', class: 'card-footer-link', hidden: true });
    this.reminders.el.append(this.moreReminders);
    this.recentList = h('ul', { id: 'recent-account-list', class: 'item-list' });
    this.recent = h(
      'section',
      { id: 'recent-accounts', class: 'card', 'aria-labelledby': 'recent-accounts-title', hidden: true },
      h('div', { class: 'card-header' }, h('h2', { id: 'recent-accounts-title' }, t('home.recent'))),
      this.recentList,
    );

    this.el = h(
      'section',
      { id: 'home-page', class: 'page home-page' },
      h(
        'div',
        { class: 'page-header' },
        h('div', {}, h('h1', { id: 'home-title', class: 'page-title' }, t('home.title')), this.date),
        h(
          'button',
          {
            id: 'home-new-account',
            type: 'button',
            class: 'button button-primary',
            hidden: !may('create', 'account'),
            on: { click: () => navigate({ name: 'new-account' }) },
          },
          '+ ',
          t('sidebar.newAccount'),
        ),
      ),
      this.error.el,
      h(
        'div',
        { class: 'home-layout' },
        h(
          'div',
          { id: 'home-today', class: 'home-column' },
          card('home-agenda', t('home.agenda'), this.eventCount, routeLink({ name: 'agenda' }, { class: 'card-header-link' }, t('home.weekAgenda')), this.events),
          card('home-todo', t('home.tasks'), this.taskCount, routeLink({ name: 'tasks' }, { class: 'card-header-link' }, t('home.allTasks')), this.tasks),
          this.showTeam
            ? card('home-team-todo', t('home.teamTasks'), this.teamTaskCount, routeLink({ name: 'tasks' }, { class: 'card-header-link' }, t('home.allTasks')), this.teamTasks)
            : null,
        ),
        h('div', { class: 'home-column' }, this.recent, this.reminders.el),
      ),
    );
    this.renderDate();
    // The remembered names come first, before any call: the shortcuts are there at once.
    this.renderRecent(recentAccounts(), null);
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    const today = todayYmd();
    this.renderDate();
    await this.reloader.run(force, async () => {
      const tomorrow = toYmd(addDays(new Date(), 1));
      const [events, tasks, reminders, accounts, people] = await Promise.all([
        api.agenda(today, tomorrow, true),
        api.listTasks(false),
        api.reminders(),
        api.listAccounts(),
        // Names only: without the directory the team's tasks say « Utilisateur inconnu ».
        this.showTeam ? api.people().catch((): Person[] => []) : Promise.resolve([]),
        // Contract types by name in the notice reminders.
        loadSalesSettings(),
      ]);
      return {
        shown: [today, events, tasks, reminders, accounts, people, recentAccounts()],
        show: () => {
          const me = signedInUser()?.id ?? null;
          const owners = accountOwners(accounts);
          const ownerOf = (task: Task) => taskOwner(task, owners);
          const plan = planToday(events, tasks, reminders, today, (task) => me !== null && ownerOf(task) === me);
          const names = accountNames(accounts);
          this.error.clear();
          this.renderEvents(plan.events, names);
          this.renderTasks(this.tasks, this.taskCount, plan.tasks, names, today, t('home.tasksEmpty'));
          if (this.showTeam) {
            const whose = new PeopleNames(people, me);
            this.renderTasks(this.teamTasks, this.teamTaskCount, plan.teamTasks, names, today, t('home.teamTasksEmpty'), (task) => whose.of(ownerOf(task)) ?? t('tasks.unassigned'));
          }
          this.reminders.update(plan.reminders.slice(0, REMINDERS_SHOWN), names, plan.reminders.length);
          this.moreReminders.hidden = plan.reminders.length <= REMINDERS_SHOWN;
          this.moreReminders.textContent = tCount('home.moreReminders', plan.reminders.length);
          this.renderRecent(recentAccounts(), new Map(accounts.map((account) => [account.id, account])));
        },
      };
    });
  }

  private renderDate(): void {
    const today = new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
    this.date.textContent = today.charAt(0).toUpperCase() + today.slice(1);
  }

  private renderEvents(events: CalendarEvent[], names: Map<string, string>): void {
    this.eventCount.textContent = String(events.length);
    if (events.length === 0) {
      replaceChildren(this.events, h('li', { class: 'list-empty' }, t('home.agendaEmpty')));
      return;
    }
    const now = Date.now();
    replaceChildren(
      this.events,
      ...events.map((event) => {
        const start = new Date(event.start);
        const end = new Date(event.end);
        const time = Number.isNaN(start.getTime()) ? '' : Number.isNaN(end.getTime()) ? formatTime(start) : `${formatTime(start)} – ${formatTime(end)}`;
        const account = event.account ? names.get(event.account) ?? t('pipeline.unknownAccount') : null;
        // An appointment has no page of its own: it opens its account, or the agenda.
        const route: Route = event.account ? { name: 'account', id: event.account } : { name: 'agenda' };
        const past = !Number.isNaN(end.getTime()) && end.getTime() < now;
        return h(
          'li',
          { class: past ? 'item-row home-event past' : 'item-row home-event', dataset: { id: event.id } },
          h('span', { class: 'home-time' }, time),
          routeLink(
            route,
            { class: 'item-main' },
            h('span', { class: 'item-title' }, event.title),
            account || event.place ? h('span', { class: 'item-meta' }, [account, event.place].filter(Boolean).join(' · ')) : null,
          ),
        );
      }),
    );
  }

  /** `ownerName`, for the team's card: whose each task is. */
  private renderTasks(
    list: HTMLUListElement,
    count: HTMLElement,
    tasks: Task[],
    names: Map<string, string>,
    today: string,
    empty: string,
    ownerName?: (task: Task) => string,
  ): void {
    count.textContent = String(tasks.length);
    if (tasks.length === 0) {
      replaceChildren(list, h('li', { class: 'list-empty' }, empty));
      return;
    }
    replaceChildren(
      list,
      ...tasks.map((task) => {
        const late = task.due < today;
        const owner = ownerName?.(task);
        const account = task.account ? names.get(task.account) ?? t('pipeline.unknownAccount') : null;
        // A task has no page of its own: it opens its account, or the tasks page.
        const route: Route = task.account ? { name: 'account', id: task.account } : { name: 'tasks' };
        return h(
          'li',
          { class: late ? 'item-row home-task late' : 'item-row home-task', dataset: { id: task.id } },
          routeLink(
            route,
            { class: 'item-main' },
            h('span', { class: 'item-title' }, task.title),
            h(
              'span',
              { class: 'item-meta' },
              owner ? h('span', { class: 'task-owner', title: t('tasks.ownerTitle', { name: owner }) }, owner) : null,
              h('span', { class: 'task-due' }, late ? t('tasks.lateSince', { date: formatCalendarDate(task.due) }) : t('tasks.dueToday')),
              account ? h('span', {}, account) : null,
            ),
          ),
        );
      }),
    );
  }

  /**
   * The accounts opened last, by name. Once the portfolio is loaded (`accounts` not
   * null), an account no longer on this device is dropped and a renamed one shows its
   * new name; both are written back. Nothing is shown when the list is empty.
   */
  private renderRecent(remembered: RecentAccount[], accounts: Map<string, Account> | null): void {
    let list = remembered;
    if (accounts) {
      list = remembered.filter((entry) => accounts.has(entry.id)).map((entry) => ({ id: entry.id, name: accounts.get(entry.id)!.name }));
      if (JSON.stringify(list) !== JSON.stringify(remembered)) storeRecentAccounts(list);
    }
    this.recent.hidden = list.length === 0;
    replaceChildren(
      this.recentList,
      ...list.map((entry) => {
        const city = accounts?.get(entry.id)?.city;
        return h(
          'li',
          { class: 'item-row recent-account', dataset: { id: entry.id } },
          routeLink(
            { name: 'account', id: entry.id },
            { class: 'item-main' },
            h('span', { class: 'item-title' }, entry.name),
            city ? h('span', { class: 'item-meta' }, city) : null,
          ),
        );
      }),
    );
  }
}

/** A card with a title, a count, a link on the right and a list. */
function card(id: string, title: string, count: HTMLElement, link: HTMLElement, list: HTMLElement): HTMLElement {
  return h(
    'section',
    { id, class: 'card', 'aria-labelledby': `${id}-title` },
    h('div', { class: 'card-header' }, h('div', { class: 'card-title' }, h('h2', { id: `${id}-title` }, title), count), link),
    list,
  );
}

