//! The module links at the top of the sidebar: deals, contracts, catalogue, agenda,
//! tasks. The tasks link carries the number of reminders (tasks due soon, contract notice
//! deadlines, late deals), red when one of them is overdue.

import { api } from '../api';
import { h } from '../dom';
import { t, tCount, type MessageKey } from '../i18n';
import { navigate, type Route } from '../router';

/** The sections of the app; each page belongs to one (or none: the portfolio). */
export type Section = 'pipeline' | 'contracts' | 'catalogue' | 'agenda' | 'tasks' | 'settings';

const LINKS: ReadonlyArray<{ section: Section; label: MessageKey; route: Route }> = [
  { section: 'pipeline', label: 'nav.pipeline', route: { name: 'pipeline' } },
  { section: 'contracts', label: 'nav.contracts', route: { name: 'contracts' } },
  { section: 'catalogue', label: 'nav.catalogue', route: { name: 'catalogue' } },
  { section: 'agenda', label: 'nav.agenda', route: { name: 'agenda' } },
  { section: 'tasks', label: 'nav.tasks', route: { name: 'tasks' } },
  { section: 'settings', label: 'nav.settings', route: { name: 'settings' } },
];

export class MainNav {
  readonly el: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly links = new Map<Section, HTMLAnchorElement>();

  constructor() {
    this.badge = h('span', { id: 'reminders-count', class: 'nav-badge', hidden: true });
    for (const link of LINKS) {
      const anchor = h(
        'a',
        {
          id: `nav-${link.section}`,
          class: `nav-link nav-${link.section}`,
          href: `#/${link.section}`,
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
        link.section === 'tasks' ? this.badge : null,
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
