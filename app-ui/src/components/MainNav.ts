//! The module links at the top of the sidebar: today (the home page), leads, campaigns,
//! tickets, deals, the dashboard, the weekly reports, contracts, catalogue, agenda, tasks, conflicts, refused changes,
//! import, duplicates, my account. The tasks link carries the number of reminders (tasks due
//! soon, contract notice deadlines, late deals, tickets past their service target), red
//! when one of them is overdue; the conflicts and refused changes links carry theirs. A
//! link to what the role may not use is not offered (`navigation.ts` says which right
//! each one needs).

import { api } from '../api';
import { h } from '../dom';
import { t, tCount } from '../i18n';
import { offeredLinks, type Section } from '../navigation';
import { navigate, routeToHash } from '../router';

export type { Section };

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
    for (const link of offeredLinks()) {
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
