//! The module links at the top of the sidebar: today (the home page), deals, contracts,
//! catalogue, agenda, tasks, conflicts, refused changes, import, duplicates, my account.
//! The tasks link carries the number of reminders (tasks due soon, contract notice
//! deadlines, late deals), red when one of them is overdue; the conflicts and refused
//! changes links carry theirs. A link to what the role may not do is not offered: the
//! import to those who may not create accounts (marketing, support), the duplicates to
//! those who may not delete them (a merge deletes one of the two).

import { api } from '../api';
import { h } from '../dom';
import { t, tCount, type MessageKey } from '../i18n';
import { navigate, routeToHash, type Route } from '../router';
import { may } from '../session';

/** The sections of the app; each page belongs to one (or none: the portfolio). */
export type Section =
  | 'home'
  | 'pipeline'
  | 'contracts'
  | 'catalogue'
  | 'agenda'
  | 'tasks'
  | 'conflicts'
  | 'refused-changes'
  | 'import'
  | 'duplicates'
  | 'settings';

const LINKS: ReadonlyArray<{ section: Section; label: MessageKey; route: Route; offered?: () => boolean }> = [
  { section: 'home', label: 'nav.home', route: { name: 'home' } },
  { section: 'pipeline', label: 'nav.pipeline', route: { name: 'pipeline' } },
  { section: 'contracts', label: 'nav.contracts', route: { name: 'contracts' } },
  { section: 'catalogue', label: 'nav.catalogue', route: { name: 'catalogue' } },
  { section: 'agenda', label: 'nav.agenda', route: { name: 'agenda' } },
  { section: 'tasks', label: 'nav.tasks', route: { name: 'tasks' } },
  { section: 'conflicts', label: 'nav.conflicts', route: { name: 'conflicts' } },
  { section: 'refused-changes', label: 'nav.refused', route: { name: 'refused-changes' } },
  { section: 'import', label: 'nav.import', route: { name: 'import' }, offered: () => may('create', 'account') },
  { section: 'duplicates', label: 'nav.duplicates', route: { name: 'duplicates' }, offered: () => may('delete', 'account') },
  { section: 'settings', label: 'nav.settings', route: { name: 'settings' } },
];

export class MainNav {
  readonly el: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly conflictsBadge: HTMLElement;
  private readonly refusedBadge: HTMLElement;
  private readonly links = new Map<Section, HTMLAnchorElement>();

  constructor() {
    this.badge = h('span', { id: 'reminders-count', class: 'nav-badge', hidden: true });
    this.conflictsBadge = h('span', { id: 'conflicts-nav-count', class: 'nav-badge has-conflicts', hidden: true });
    this.refusedBadge = h('span', { id: 'refused-nav-count', class: 'nav-badge has-refused', hidden: true });
    const badges = new Map<Section, HTMLElement>([
      ['tasks', this.badge],
      ['conflicts', this.conflictsBadge],
      ['refused-changes', this.refusedBadge],
    ]);
    for (const link of LINKS) {
      if (link.offered && !link.offered()) continue;
      const anchor = h(
        'a',
        {
          id: `nav-${link.section}`,
          class: `nav-link nav-${link.section}`,
          href: routeToHash(link.route),
          on: {
            click: (event) => {
              // Also when the page is already shown: a click reloads it.
              event.preventDefault();
              navigate(link.route);
            },
          },
        },
        h('span', { class: 'nav-icon', 'aria-hidden': 'true' }),
        h('span', { class: 'nav-label' }, t(link.label)),
        badges.get(link.section) ?? null,
      );
      this.links.set(link.section, anchor);
    }
    this.el = h('nav', { id: 'main-nav', class: 'main-nav', 'aria-label': t('nav.label') }, ...this.links.values());
  }

  select(section: Section | null): void {
    for (const [name, link] of this.links) {
      link.classList.toggle('active', name === section);
      if (name === section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  /** The numbers of open conflicts and of refused changes, which the app knows from the
   *  status and its conflict checks; `undefined` leaves a number as it is. */
  setReviewCounts(counts: { conflicts?: number; refused?: number }): void {
    if (counts.conflicts !== undefined) showCount(this.conflictsBadge, counts.conflicts, tCount('header.conflicts', counts.conflicts));
    if (counts.refused !== undefined) showCount(this.refusedBadge, counts.refused, tCount('refused.count', counts.refused));
  }

  /** Reloads the reminders count. A failure leaves the last count: it is only a hint. */
  async refresh(): Promise<void> {
    try {
      const reminders = await api.reminders();
      const overdue = reminders.filter((reminder) => reminder.overdue).length;
      this.badge.textContent = String(reminders.length);
      this.badge.hidden = reminders.length === 0;
      this.badge.classList.toggle('has-overdue', overdue > 0);
      this.badge.title = overdue > 0
        ? `${tCount('nav.reminders', reminders.length)} · ${tCount('nav.overdue', overdue)}`
        : tCount('nav.reminders', reminders.length);
    } catch (reason) {
      console.warn('reminders failed', reason);
    }
  }
}

function showCount(badge: HTMLElement, count: number, title: string): void {
  badge.textContent = String(count);
  badge.title = title;
  badge.hidden = count === 0;
}
