//! The records behind a figure of the reports and the dashboard: every count carries the
//! ids of what it counts, and a click on it lists them under it by name (« Garage
//! Martin », « Borne de garde — Garage Martin — 1 234,56 € »), each a link to its page.
//! The names are read from this device, once per kind of record and per page shown,
//! only when a list is opened: activities have no list of their own, so they are found
//! in the timelines of the accounts, account by account, until all are found.

import { api, type Activity } from '../api';
import { h, replaceChildren, type Child } from '../dom';
import { activityKindLabel, formatCalendarDate, formatDateTime, formatMoney, quoteStatusLabel, stageLabel } from '../format';
import { t } from '../i18n';
import { navigate, routeToHash, type Route } from '../router';
import { loadSalesSettings } from '../stages';
import { ticketStatusLabel } from '../tickets';

/** The kinds of records a figure can stand for. */
export type RecordKind = 'account' | 'deal' | 'quote' | 'activity' | 'lead' | 'campaign' | 'contact' | 'ticket' | 'contract';

/** One record of a list: its name, what is said under it, its page. */
export interface RecordEntry {
  id: string;
  title: string;
  meta: string[];
  route: Route | null;
  /** An activity's kind (`visit`, `call`…), to keep only the visits of a list of activities. */
  kind?: string;
}

/** How many account timelines are read at once while looking for activities. */
const TIMELINES_AT_ONCE = 6;

/** Reads the names of records of this device, each kind once, when first asked. */
export class RecordLookup {
  private readonly lists = new Map<RecordKind, Promise<Map<string, RecordEntry>>>();
  private accountNamesLoad: Promise<Map<string, string>> | null = null;
  private readonly activities = new Map<string, RecordEntry>();
  private timelinesRead: Promise<void> | null = null;

  /** The accounts' names by id (an empty map when they cannot be read). */
  accountNames(): Promise<Map<string, string>> {
    this.accountNamesLoad ??= api
      .listAccounts()
      .then((accounts) => new Map(accounts.map((account) => [account.id, account.name])))
      .catch(() => new Map<string, string>());
    return this.accountNamesLoad;
  }

  /** The entries of `ids`, in their order; an id this device does not hold is said so. */
  async entries(kind: RecordKind, ids: readonly string[]): Promise<RecordEntry[]> {
    const known = kind === 'activity' ? await this.findActivities(ids) : await this.list(kind, ids);
    return ids.map((id) => known.get(id) ?? { id, title: t('reports.unknownRecord'), meta: [], route: null });
  }

  private list(kind: Exclude<RecordKind, 'activity'>, ids: readonly string[]): Promise<Map<string, RecordEntry>> {
    // Contacts have no list: each one is read by itself (a handful at most).
    if (kind === 'contact') return this.contacts(ids);
    let load = this.lists.get(kind);
    if (!load) {
      load = this.load(kind).catch((reason: unknown) => {
        console.warn(`names of ${kind} records not read`, reason);
        return new Map<string, RecordEntry>();
      });
      this.lists.set(kind, load);
    }
    return load;
  }

  private async load(kind: Exclude<RecordKind, 'activity' | 'contact'>): Promise<Map<string, RecordEntry>> {
    const entries: RecordEntry[] = [];
    switch (kind) {
      case 'account':
        for (const [id, name] of await this.accountNames()) entries.push({ id, title: name, meta: [], route: { name: 'account', id } });
        break;
      case 'deal': {
        const [deals, names] = await Promise.all([api.listDeals(), this.accountNames(), loadSalesSettings()]);
        for (const deal of deals) {
          const meta = [names.get(deal.account) ?? t('pipeline.unknownAccount'), stageLabel(deal.stage), formatMoney(deal.amount)];
          entries.push({ id: deal.id, title: deal.title, meta: meta.filter(Boolean), route: { name: 'deal', id: deal.id } });
        }
        break;
      }
      case 'quote': {
        const [quotes, names] = await Promise.all([api.listQuotes(), this.accountNames()]);
        for (const quote of quotes) {
          const meta = [names.get(quote.account) ?? t('pipeline.unknownAccount'), quoteStatusLabel(quote.status)];
          entries.push({ id: quote.id, title: t('reports.quoteNumber', { number: quote.number }), meta, route: { name: 'quote', id: quote.id } });
        }
        break;
      }
      case 'contract': {
        const [contracts, names] = await Promise.all([api.listContracts(), this.accountNames()]);
        for (const contract of contracts) {
          const account = names.get(contract.account) ?? t('pipeline.unknownAccount');
          entries.push({ id: contract.id, title: account, meta: [formatCalendarDate(contract.start)], route: { name: 'contract', id: contract.id } });
        }
        break;
      }
      case 'lead':
        for (const view of await api.listLeads()) {
          const lead = view.lead;
          entries.push({ id: lead.id, title: lead.name, meta: [lead.company ?? ''].filter(Boolean), route: { name: 'lead', id: lead.id } });
        }
        break;
      case 'campaign':
        for (const campaign of await api.listCampaigns()) {
          entries.push({ id: campaign.id, title: campaign.name, meta: [], route: { name: 'campaign', id: campaign.id } });
        }
        break;
      case 'ticket':
        for (const ticket of await api.listTickets(false, false)) {
          const meta = [ticket.account_name ?? '', ticketStatusLabel(ticket.status)].filter(Boolean);
          entries.push({ id: ticket.id, title: ticket.title, meta, route: { name: 'ticket', id: ticket.id } });
        }
        break;
    }
    return new Map(entries.map((entry) => [entry.id, entry]));
  }

  private async contacts(ids: readonly string[]): Promise<Map<string, RecordEntry>> {
    const found = new Map<string, RecordEntry>();
    await Promise.allSettled(
      ids.map(async (id) => {
        const contact = await api.contactView(id);
        found.set(id, { id, title: contact.name, meta: [contact.account_name ?? ''].filter(Boolean), route: { name: 'contact', id } });
      }),
    );
    return found;
  }

  /** The activities `ids`, found in the accounts' timelines (all of them read once). */
  private async findActivities(ids: readonly string[]): Promise<Map<string, RecordEntry>> {
    if (ids.some((id) => !this.activities.has(id))) {
      this.timelinesRead ??= this.readTimelines();
      await this.timelinesRead;
    }
    return this.activities;
  }

  private async readTimelines(): Promise<void> {
    const names = await this.accountNames();
    const accounts = [...names.keys()];
    for (let start = 0; start < accounts.length; start += TIMELINES_AT_ONCE) {
      const views = await Promise.allSettled(accounts.slice(start, start + TIMELINES_AT_ONCE).map((id) => api.accountView(id)));
      for (const view of views) {
        if (view.status !== 'fulfilled') continue;
        for (const activity of view.value.timeline) this.activities.set(activity.id, activityEntry(activity, view.value.name));
      }
    }
  }
}

function activityEntry(activity: Activity, accountName: string): RecordEntry {
  const kind = activityKindLabel(activity.kind);
  return {
    id: activity.id,
    title: activity.subject?.trim() || kind,
    meta: [kind, formatDateTime(activity.at), accountName],
    // An activity has no page of its own: it opens its account, where its timeline is.
    route: { name: 'account', id: activity.account },
    kind: activity.kind,
  };
}

/** A link to `route`, opened with `navigate` so that a click on the screen shown reloads it. */
export function routeLink(route: Route, attrs: Record<string, unknown>, ...children: Child[]): HTMLAnchorElement {
  return h(
    'a',
    {
      ...attrs,
      href: routeToHash(route),
      on: {
        click: (event: MouseEvent) => {
          event.preventDefault();
          navigate(route);
        },
      },
    },
    ...children,
  );
}

/** What a figure opens: its records, of one kind, some of them only when `keep` says so. */
export interface FigureRecords {
  kind: RecordKind;
  ids: readonly string[];
  /** The list's title (« Affaires gagnées — Rep UI »). */
  title: string;
  keep?: (entry: RecordEntry) => boolean;
}

/**
 * The list under a group of figures: one figure's records at a time. A click on the
 * figure shown closes it; a click on another figure shows that one's instead.
 */
export class RecordsPanel {
  readonly el: HTMLElement;
  private shown: HTMLButtonElement | null = null;
  private generation = 0;

  /** `frame` is what is shown and hidden with the list (a table row holding it, say). */
  constructor(
    private readonly lookup: () => RecordLookup,
    private readonly frame?: HTMLElement,
  ) {
    this.el = h('div', { class: 'records-panel', role: 'region', 'aria-live': 'polite' });
    this.setVisible(false);
  }

  /** A button showing `text` that opens `records` here; plain text when there are none. */
  figure(text: Child, records: FigureRecords, attrs: Record<string, unknown> = {}): HTMLElement {
    if (records.ids.length === 0) return h('span', { ...attrs, class: `figure-value ${String(attrs.class ?? '')}`.trim() }, text);
    const button = h(
      'button',
      {
        ...attrs,
        type: 'button',
        class: `figure-button ${String(attrs.class ?? '')}`.trim(),
        'aria-expanded': 'false',
        title: t('reports.showRecords'),
      },
      text,
    );
    button.addEventListener('click', () => void this.toggle(button, records));
    return button;
  }

  /** Closes the list. */
  close(): void {
    this.generation++;
    this.shown?.setAttribute('aria-expanded', 'false');
    this.shown = null;
    replaceChildren(this.el);
    this.setVisible(false);
  }

  /** Shows `records` (a bar of a chart was clicked, say), in place of any list shown. */
  open(records: FigureRecords): void {
    this.close();
    void this.show(records);
  }

  private async toggle(button: HTMLButtonElement, records: FigureRecords): Promise<void> {
    if (this.shown === button) {
      this.close();
      return;
    }
    this.close();
    this.shown = button;
    button.setAttribute('aria-expanded', 'true');
    await this.show(records);
  }

  private async show(records: FigureRecords): Promise<void> {
    const generation = this.generation;
    const close = h('button', { type: 'button', class: 'link-button records-close', on: { click: () => this.close() } }, t('reports.closeRecords'));
    const list = h('ul', { class: 'item-list records-list' }, h('li', { class: 'list-empty' }, t('account.loading')));
    replaceChildren(this.el, h('div', { class: 'records-header' }, h('h3', {}, records.title), close), list);
    this.setVisible(true);
    const entries = (await this.lookup().entries(records.kind, records.ids)).filter((entry) => !records.keep || records.keep(entry));
    if (generation !== this.generation) return;
    if (entries.length === 0) {
      replaceChildren(list, h('li', { class: 'list-empty' }, t('reports.noRecords')));
      return;
    }
    replaceChildren(list, ...entries.map(entryRow));
  }

  private setVisible(visible: boolean): void {
    (this.frame ?? this.el).hidden = !visible;
  }
}

function entryRow(entry: RecordEntry): HTMLElement {
  const content: Child[] = [
    h('span', { class: 'item-title' }, entry.title),
    entry.meta.length > 0 ? h('span', { class: 'item-meta' }, entry.meta.join(' · ')) : null,
  ];
  return h(
    'li',
    { class: 'item-row record-entry', dataset: { id: entry.id } },
    entry.route ? routeLink(entry.route, { class: 'item-main' }, ...content) : h('span', { class: 'item-main' }, ...content),
  );
}
