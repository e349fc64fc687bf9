//! The agenda: one week, Monday to Sunday, the events placed by their start and end time
//! on an hour grid. Previous / next week, back to today, "Mon agenda" (mine) or "Équipe"
//! (everyone's the user may see, each event saying whose it is; only for those who see
//! other people's events: a rep's agenda is theirs alone), and the "Nouveau rendez-vous"
//! form. A click on an empty slot opens the form at that hour; a click on an appointment
//! (or Enter on it) opens it in the same form, to change, move or delete it (EventForm).

import { api, type Account, type CalendarEvent, type Person } from '../api';
import { h, replaceChildren } from '../dom';
import { addDays, formatTime, mondayOf, nowForDateTimeInput, toYmd } from '../format';
import { locale, t } from '../i18n';
import { PeopleNames } from '../people';
import { Reloader } from '../reload';
import { may, seesOthers, signedInUser } from '../session';
import { accountNames } from './AccountSelect';
import { EventForm } from './EventForm';
import { FormError, messageOf } from './FormField';

const HOUR_PX = 48;
const FIRST_HOUR = 7;
const LAST_HOUR = 20;
/** Shortest drawn event, so a 10-minute call stays readable. */
const MIN_EVENT_PX = 22;

/** The week and the filter shown, kept while the app runs. */
let shownMonday: Date = mondayOf(new Date());
let shownMine = true;

interface Placed {
  event: CalendarEvent;
  start: Date;
  end: Date;
  /** Minutes from midnight of its day. */
  from: number;
  to: number;
  lane: number;
  lanes: number;
}

export class AgendaPage {
  readonly el: HTMLElement;
  private readonly weekLabel: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly toggle: HTMLElement;
  private readonly error = new FormError();
  private readonly form: EventForm;
  private readonly newButton: HTMLButtonElement;
  private events: CalendarEvent[] = [];
  /** The appointment open in the form, highlighted in the week. */
  private openedId: string | null = null;
  private accounts: Account[] = [];
  private names = new Map<string, string>();
  /** Whether the user sees other people's events: the "Équipe" toggle shows. */
  private readonly showTeam = seesOthers('event');
  private readonly mayCreate = may('create', 'event');
  private people = new PeopleNames([], signedInUser()?.id ?? null);
  private readonly reloader = new Reloader((reason) => this.error.show(messageOf(reason)));

  constructor(private readonly onOpenAccount: (id: string) => void, private readonly onChanged: () => void) {
    this.weekLabel = h('div', { id: 'agenda-week', class: 'page-subtitle' });
    this.grid = h('div', { id: 'agenda-grid', class: 'week-grid' });
    // A rep sees only their own appointments: no toggle, and never the team's view.
    if (!this.showTeam) shownMine = true;
    this.toggle = h('div', { class: 'segmented', role: 'group', 'aria-label': t('agenda.whose'), hidden: !this.showTeam });
    this.newButton = h(
      'button',
      { id: 'new-event-button', type: 'button', class: 'button button-primary', hidden: !this.mayCreate, on: { click: () => this.openForm(null) } },
      '+ ',
      t('agenda.new'),
    );
    this.form = new EventForm({
      onSaved: (event) => {
        this.formClosed();
        // The week shown follows the appointment, moved to another week or not.
        const start = new Date(event.start);
        if (!Number.isNaN(start.getTime())) shownMonday = mondayOf(start);
        this.onChanged();
        void this.refresh().then(() => this.focusEvent(event.id));
      },
      onDeleted: () => {
        this.formClosed();
        this.onChanged();
        void this.refresh();
      },
      onClosed: () => {
        const id = this.openedId;
        this.formClosed();
        if (id) this.focusEvent(id);
      },
      onOpenAccount: (id) => this.onOpenAccount(id),
    });
    this.el = h(
      'section',
      { id: 'agenda-page', class: 'page page-wide' },
      h('div', { class: 'page-header' }, h('div', {}, h('h1', { class: 'page-title' }, t('agenda.title')), this.weekLabel), this.newButton),
      this.form.el,
      h(
        'div',
        { class: 'toolbar' },
        h(
          'div',
          { class: 'button-group' },
          h('button', { id: 'agenda-prev', type: 'button', class: 'button button-secondary', title: t('agenda.previous'), 'aria-label': t('agenda.previous'), on: { click: () => this.shift(-7) } }, '‹'),
          h('button', { id: 'agenda-today', type: 'button', class: 'button button-secondary', on: { click: () => this.goToday() } }, t('agenda.today')),
          h('button', { id: 'agenda-next', type: 'button', class: 'button button-secondary', title: t('agenda.next'), 'aria-label': t('agenda.next'), on: { click: () => this.shift(7) } }, '›'),
        ),
        this.toggle,
      ),
      this.error.el,
      h('div', { class: 'card agenda-card' }, this.grid),
    );
    this.renderToggle();
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    const from = toYmd(shownMonday);
    const to = toYmd(addDays(shownMonday, 7));
    this.renderWeekLabel();
    await this.reloader.run(force, async () => {
      const [events, accounts, people] = await Promise.all([
        api.agenda(from, to, shownMine),
        api.listAccounts(),
        // Names only: without the directory the team's events say « Utilisateur inconnu ».
        shownMine ? Promise.resolve([]) : api.people().catch((): Person[] => []),
      ]);
      return {
        shown: [from, shownMine, events, accounts, people],
        show: () => {
          this.events = events;
          this.accounts = accounts;
          this.names = accountNames(accounts);
          this.people = new PeopleNames(people, this.people.meId);
          this.error.clear();
          this.render();
        },
      };
    });
  }

  private shift(days: number): void {
    shownMonday = addDays(shownMonday, days);
    void this.refresh();
  }

  private goToday(): void {
    shownMonday = mondayOf(new Date());
    void this.refresh();
  }

  private openForm(start: string | null): void {
    this.newButton.hidden = true;
    this.markOpen(null);
    this.form.open(this.accounts, start);
  }

  /** Opens an appointment of the week in the form. */
  private openEvent(event: CalendarEvent): void {
    this.newButton.hidden = true;
    this.markOpen(event.id);
    this.form.openEvent(event, this.accounts, shownMine ? null : this.people.of(event.owner));
  }

  private formClosed(): void {
    this.newButton.hidden = !this.mayCreate;
    this.markOpen(null);
  }

  /** Highlights the appointment open in the form (none: null). */
  private markOpen(id: string | null): void {
    this.openedId = id;
    for (const block of this.grid.querySelectorAll<HTMLElement>('.week-event')) block.classList.toggle('editing', block.dataset.id === id);
  }

  /** Gives the focus back to an appointment of the week, once the form is closed. */
  private focusEvent(id: string): void {
    this.grid.querySelector<HTMLElement>(`.week-event[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  private renderToggle(): void {
    if (!this.showTeam) return;
    replaceChildren(
      this.toggle,
      ...[true, false].map((mine) =>
        h(
          'button',
          {
            id: mine ? 'agenda-mine' : 'agenda-team',
            type: 'button',
            class: mine === shownMine ? 'segment active' : 'segment',
            'aria-pressed': String(mine === shownMine),
            on: {
              click: () => {
                shownMine = mine;
                this.renderToggle();
                void this.refresh();
              },
            },
          },
          mine ? t('agenda.mine') : t('agenda.team'),
        ),
      ),
    );
  }

  private renderWeekLabel(): void {
    const sunday = addDays(shownMonday, 6);
    const day = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long' });
    const full = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric' });
    this.weekLabel.textContent = t('agenda.week', { from: day.format(shownMonday), to: full.format(sunday) });
    this.weekLabel.dataset.from = toYmd(shownMonday);
  }

  private render(): void {
    const days = Array.from({ length: 7 }, (_, i) => addDays(shownMonday, i));
    const placed = days.map((day) => placeDay(day, this.events));
    const all = placed.flat();
    const first = Math.min(FIRST_HOUR, ...all.map((p) => Math.floor(p.from / 60)));
    const last = Math.max(LAST_HOUR, ...all.map((p) => Math.ceil(p.to / 60)));
    const hours = Array.from({ length: last - first }, (_, i) => first + i);
    const today = toYmd(new Date());
    const dayName = new Intl.DateTimeFormat(locale(), { weekday: 'short' });
    const dayNumber = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short' });
    const height = hours.length * HOUR_PX;

    const head = h(
      'div',
      { class: 'week-head' },
      h('div', { class: 'week-corner' }),
      ...days.map((day) =>
        h(
          'div',
          { class: toYmd(day) === today ? 'week-day-head today' : 'week-day-head', dataset: { date: toYmd(day) } },
          h('span', { class: 'week-day-name' }, dayName.format(day)),
          h('span', { class: 'week-day-number' }, dayNumber.format(day)),
        ),
      ),
    );
    const gutter = h(
      'div',
      { class: 'week-gutter' },
      ...hours.map((hour) => h('div', { class: 'week-hour' }, `${String(hour).padStart(2, '0')}:00`)),
    );
    for (const label of gutter.children) (label as HTMLElement).style.height = `${HOUR_PX}px`;

    const columns = days.map((day, index) => {
      const column = h('div', {
        class: toYmd(day) === today ? 'week-day today' : 'week-day',
        dataset: { date: toYmd(day) },
        on: {
          click: (event) => {
            if (event.target !== column || !this.mayCreate) return;
            const hour = first + Math.floor(event.offsetY / HOUR_PX);
            const start = new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour);
            this.openForm(nowForDateTimeInput(start));
          },
        },
      });
      column.style.height = `${height}px`;
      column.style.backgroundSize = `100% ${HOUR_PX}px`;
      if (this.mayCreate) column.title = t('agenda.clickToAdd');
      else column.classList.add('read-only');
      for (const item of placed[index] ?? []) column.appendChild(this.eventBlock(item, first));
      if (toYmd(day) === today) {
        const now = new Date();
        const minutes = now.getHours() * 60 + now.getMinutes();
        if (minutes >= first * 60 && minutes <= last * 60) {
          const line = h('div', { class: 'now-line', 'aria-hidden': 'true' });
          line.style.top = `${((minutes - first * 60) / 60) * HOUR_PX}px`;
          column.appendChild(line);
        }
      }
      return column;
    });

    const empty = all.length === 0 ? h('p', { class: 'agenda-empty muted' }, shownMine ? t('agenda.emptyMine') : t('agenda.empty')) : null;
    replaceChildren(this.grid, head, empty, h('div', { class: 'week-body' }, gutter, ...columns));
  }

  private eventBlock(item: Placed, firstHour: number): HTMLElement {
    const { event } = item;
    const account = event.account ? this.names.get(event.account) : null;
    const time = `${formatTime(item.start)} – ${formatTime(item.end)}`;
    const top = ((item.from - firstHour * 60) / 60) * HOUR_PX;
    const height = Math.max(MIN_EVENT_PX, ((item.to - item.from) / 60) * HOUR_PX - 2);
    const compact = height < 40;
    // The team's agenda says whose each appointment is; a short one on its only line.
    const owner = shownMine ? null : this.people.of(event.owner);
    const ownerTitle = owner ? t('agenda.ownerTitle', { name: owner }) : null;
    const block = h(
      'div',
      {
        class: account ? 'week-event has-account' : 'week-event',
        dataset: { id: event.id, owner: event.owner ?? '' },
        tabindex: 0,
        role: 'button',
        title: [event.title, time, ownerTitle, event.place, account].filter(Boolean).join('\n'),
        on: {
          click: () => this.openEvent(event),
          keydown: (key) => {
            if (key.key !== 'Enter' && key.key !== ' ') return;
            key.preventDefault();
            this.openEvent(event);
          },
        },
      },
      h(
        'div',
        { class: 'event-line' },
        h('span', { class: 'event-time' }, formatTime(item.start)),
        ' ',
        h('span', { class: 'event-title' }, event.title),
        owner && compact ? h('span', { class: 'event-owner' }, ' · ', owner) : null,
      ),
      owner && !compact ? h('div', { class: 'event-owner' }, owner) : null,
      event.place || account ? h('div', { class: 'event-place' }, [account, event.place].filter(Boolean).join(' · ')) : null,
    );
    // A short event is one line; a side-by-side one puts its time above its title. Both
    // cut their text with an ellipsis rather than breaking words.
    if (event.id === this.openedId) block.classList.add('editing');
    if (compact) block.classList.add('compact');
    else if (item.lanes > 1) block.classList.add('narrow');
    block.style.top = `${top}px`;
    block.style.height = `${height}px`;
    block.style.left = `calc(${(item.lane / item.lanes) * 100}% + 2px)`;
    block.style.width = `calc(${100 / item.lanes}% - 4px)`;
    return block;
  }
}

/** The events starting on `day`, with side-by-side lanes where they overlap. */
function placeDay(day: Date, events: CalendarEvent[]): Placed[] {
  const ymd = toYmd(day);
  const items: Placed[] = [];
  for (const event of events) {
    const start = new Date(event.start);
    if (Number.isNaN(start.getTime()) || toYmd(start) !== ymd) continue;
    let end = new Date(event.end);
    if (Number.isNaN(end.getTime()) || end <= start) end = new Date(start.getTime() + 30 * 60 * 1000);
    const from = start.getHours() * 60 + start.getMinutes();
    // An event running past midnight is drawn to the end of its first day.
    const to = toYmd(end) === ymd ? end.getHours() * 60 + end.getMinutes() : 24 * 60;
    items.push({ event, start, end, from, to: Math.max(to, from + 15), lane: 0, lanes: 1 });
  }
  items.sort((a, b) => a.from - b.from || b.to - a.to);
  let cluster: Placed[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -1;
  const close = () => {
    for (const item of cluster) item.lanes = laneEnds.length;
    cluster = [];
    laneEnds = [];
  };
  for (const item of items) {
    if (item.from >= clusterEnd) close();
    let lane = laneEnds.findIndex((end) => end <= item.from);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(item.to);
    } else {
      laneEnds[lane] = item.to;
    }
    item.lane = lane;
    cluster.push(item);
    clusterEnd = Math.max(clusterEnd, item.to);
  }
  close();
  return items;
}
