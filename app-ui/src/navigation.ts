//! What the sidebar's module links offer, and where each role lands. A link to what the
//! role may not use is not offered (UX rule 4): deals and contracts to those who may not
//! read them, leads to customer service, tickets to marketing, campaigns to reps and
//! customer service (marketing writes them, managers and administrators read them), the
//! import to those who may not create accounts, the duplicates to those who may not
//! delete them (a merge deletes one of the two), the dashboard to those who may not read
//! deals (its figures are deals). The weekly reports are everyone's. The rules are the permission matrix
//! generated from crm-core (`session.may`); this file only says which right each screen
//! needs.

import type { MessageKey } from './i18n';
import type { Route } from './router';
import { may } from './session';

/** The sections of the app; each page belongs to one (or none: the portfolio). */
export type Section =
  | 'home'
  | 'pipeline'
  | 'dashboard'
  | 'reports'
  | 'leads'
  | 'campaigns'
  | 'tickets'
  | 'contracts'
  | 'catalogue'
  | 'agenda'
  | 'tasks'
  | 'conflicts'
  | 'refused-changes'
  | 'import'
  | 'duplicates'
  | 'settings';

export interface NavLink {
  section: Section;
  label: MessageKey;
  route: Route;
  /** Whether the signed-in user is offered the link; always when absent. */
  offered?: () => boolean;
}

export const NAV_LINKS: readonly NavLink[] = [
  { section: 'home', label: 'nav.home', route: { name: 'home' } },
  { section: 'leads', label: 'nav.leads', route: { name: 'leads' }, offered: () => may('read', 'lead') },
  { section: 'campaigns', label: 'nav.campaigns', route: { name: 'campaigns' }, offered: () => may('read', 'campaign') },
  { section: 'tickets', label: 'nav.tickets', route: { name: 'tickets' }, offered: () => may('read', 'ticket') },
  { section: 'pipeline', label: 'nav.pipeline', route: { name: 'pipeline' }, offered: () => may('read', 'deal') },
  { section: 'dashboard', label: 'nav.dashboard', route: { name: 'dashboard' }, offered: () => may('read', 'deal') },
  { section: 'reports', label: 'nav.reports', route: { name: 'reports' } },
  { section: 'contracts', label: 'nav.contracts', route: { name: 'contracts' }, offered: () => may('read', 'contract') },
  { section: 'catalogue', label: 'nav.catalogue', route: { name: 'catalogue' } },
  { section: 'agenda', label: 'nav.agenda', route: { name: 'agenda' } },
  { section: 'tasks', label: 'nav.tasks', route: { name: 'tasks' } },
  { section: 'conflicts', label: 'nav.conflicts', route: { name: 'conflicts' } },
  { section: 'refused-changes', label: 'nav.refused', route: { name: 'refused-changes' } },
  { section: 'import', label: 'nav.import', route: { name: 'import' }, offered: () => may('create', 'account') },
  { section: 'duplicates', label: 'nav.duplicates', route: { name: 'duplicates' }, offered: () => may('delete', 'account') },
  { section: 'settings', label: 'nav.settings', route: { name: 'settings' } },
];

/** The links the signed-in user is offered, in the sidebar's order. */
export function offeredLinks(): NavLink[] {
  return NAV_LINKS.filter((link) => !link.offered || link.offered());
}

/**
 * Where a role starts its day when the app opens: the lead inbox for marketing, the
 * ticket queue for customer service, the team's week for a sales manager (« Rapports »),
 * « Aujourd'hui » for the others (whose day is made of visits, tasks and deals).
 */
export function homeRoute(role: string | null | undefined): Route {
  switch (role) {
    case 'marketing':
      return { name: 'leads' };
    case 'support':
      return { name: 'tickets' };
    case 'manager':
      return { name: 'reports' };
    default:
      return { name: 'home' };
  }
}

/** The sidebar link highlighted for a screen. */
export function sectionOf(route: Route): Section | null {
  switch (route.name) {
    case 'home':
      return 'home';
    case 'pipeline':
    case 'deal':
    case 'new-quote':
    case 'quote':
      return 'pipeline';
    case 'contracts':
    case 'contract':
      return 'contracts';
    case 'product':
      return 'catalogue';
    case 'leads':
    case 'lead':
      return 'leads';
    case 'campaigns':
    case 'campaign':
      return 'campaigns';
    case 'tickets':
    case 'ticket':
    case 'call':
      return 'tickets';
    case 'catalogue':
    case 'agenda':
    case 'tasks':
    case 'settings':
    case 'conflicts':
    case 'refused-changes':
    case 'import':
    case 'duplicates':
    case 'reports':
    case 'dashboard':
      return route.name;
    default:
      return null;
  }
}
