//! Screens are addressed by the URL hash, so the webview's back and forward work and a
//! refresh keeps the user where they were:
//!   #/                    home page: today's agenda, tasks, reminders, recent accounts
//!   #/accounts/new        new account form (`?phone=` fills the phone: an unknown caller)
//!   #/accounts/<id>       account page
//!   #/accounts/<id>/edit  account form, edit mode
//!   #/pipeline            deals board
//!   #/deal/<id>           deal page
//!   #/contracts           contracts list
//!   #/contract/<id>       contract page
//!   #/catalogue           products
//!   #/quote/new?account=<id>&deal=<id>   quote editor (both optional)
//!   #/quote/<id>          saved quote
//!   #/agenda              week view
//!   #/tasks               tasks and reminders
//!   #/refused-changes     changes the server refused, with what was typed
//!   #/conflicts           fields in conflict, with who wrote each value
//!   #/import              the import wizard and the earlier imports
//!   #/duplicates          likely duplicate accounts and contacts, to merge
//!   #/leads               marketing's lead inbox, best score first
//!   #/lead/<id>           a lead: its score and why, qualify, disqualify, convert
//!   #/campaigns           marketing's e-mailing campaigns, and « Nouvelle campagne »
//!   #/campaign/<id>       a campaign: its text, who it reaches, « Envoyer »
//!   #/tickets             the support queue, late tickets first
//!   #/ticket/<id>         a ticket: its service clock, status, assignee
//!   #/call?number=<n>     the incoming-call card of the number dialled
//!   #/reports             « Rapports »: this week's report (the team's for a manager)
//!   #/reports/<week>      the report of an ISO week, e.g. #/reports/2026-W49
//!   #/dashboard           « Tableau de bord »: pipeline, forecast, win rate, activity

import { parseWeek, weekText } from './weeks';

export type Route =
  | { name: 'home' }
  | { name: 'new-account'; phone?: string }
  | { name: 'account'; id: string }
  | { name: 'edit-account'; id: string }
  | { name: 'pipeline' }
  | { name: 'deal'; id: string }
  | { name: 'contracts' }
  | { name: 'contract'; id: string }
  | { name: 'contact'; id: string }
  | { name: 'settings' }
  | { name: 'product'; id: string }
  | { name: 'catalogue' }
  | { name: 'new-quote'; account: string | null; deal: string | null }
  | { name: 'quote'; id: string }
  | { name: 'agenda' }
  | { name: 'tasks' }
  | { name: 'refused-changes' }
  | { name: 'conflicts' }
  | { name: 'import' }
  | { name: 'duplicates' }
  | { name: 'leads' }
  | { name: 'lead'; id: string }
  | { name: 'campaigns' }
  | { name: 'campaign'; id: string }
  | { name: 'tickets' }
  | { name: 'ticket'; id: string }
  | { name: 'call'; number: string }
  | { name: 'reports'; week?: string }
  | { name: 'dashboard' };

export function parseRoute(hash: string = window.location.hash): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  // A damaged escape (`%` not followed by two hex digits) is kept as typed rather than
  // throwing: the user lands on the screen the rest of the address names.
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const parts = path.split('/').filter(Boolean).map(decode);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'accounts':
      if (parts[1] === 'new') {
        const phone = params.get('phone');
        return phone ? { name: 'new-account', phone } : { name: 'new-account' };
      }
      if (parts[1] && parts[2] === 'edit') return { name: 'edit-account', id: parts[1] };
      if (parts[1]) return { name: 'account', id: parts[1] };
      break;
    case 'pipeline':
      return { name: 'pipeline' };
    case 'deal':
      if (parts[1]) return { name: 'deal', id: parts[1] };
      return { name: 'pipeline' };
    case 'contracts':
      return { name: 'contracts' };
    case 'contact':
      if (parts[1]) return { name: 'contact', id: parts[1] };
      return { name: 'home' };
    case 'settings':
      return { name: 'settings' };
    case 'product':
      if (parts[1]) return { name: 'product', id: parts[1] };
      return { name: 'catalogue' };
    case 'contract':
      if (parts[1]) return { name: 'contract', id: parts[1] };
      return { name: 'contracts' };
    case 'catalogue':
      return { name: 'catalogue' };
    case 'quote':
      if (parts[1] && parts[1] !== 'new') return { name: 'quote', id: parts[1] };
      return { name: 'new-quote', account: params.get('account') || null, deal: params.get('deal') || null };
    case 'agenda':
      return { name: 'agenda' };
    case 'tasks':
      return { name: 'tasks' };
    case 'refused-changes':
      return { name: 'refused-changes' };
    case 'conflicts':
      return { name: 'conflicts' };
    case 'import':
      return { name: 'import' };
    case 'duplicates':
      return { name: 'duplicates' };
    case 'leads':
      return { name: 'leads' };
    case 'lead':
      if (parts[1]) return { name: 'lead', id: parts[1] };
      return { name: 'leads' };
    case 'campaigns':
      return { name: 'campaigns' };
    case 'campaign':
      if (parts[1]) return { name: 'campaign', id: parts[1] };
      return { name: 'campaigns' };
    case 'tickets':
      return { name: 'tickets' };
    case 'ticket':
      if (parts[1]) return { name: 'ticket', id: parts[1] };
      return { name: 'tickets' };
    case 'call':
      return { name: 'call', number: params.get('number')?.trim() ?? '' };
    case 'reports': {
      // A week that is not one (`2025-W53`, a typo) opens this week's report.
      const week = parseWeek(parts[1]);
      return week ? { name: 'reports', week: weekText(week) } : { name: 'reports' };
    }
    case 'dashboard':
      return { name: 'dashboard' };
  }
  return { name: 'home' };
}

export function routeToHash(route: Route): string {
  const id = (value: string) => encodeURIComponent(value);
  switch (route.name) {
    case 'home':
      return '#/';
    case 'new-account':
      return route.phone ? `#/accounts/new?${new URLSearchParams({ phone: route.phone })}` : '#/accounts/new';
    case 'account':
      return `#/accounts/${id(route.id)}`;
    case 'edit-account':
      return `#/accounts/${id(route.id)}/edit`;
    case 'pipeline':
      return '#/pipeline';
    case 'deal':
      return `#/deal/${id(route.id)}`;
    case 'contracts':
      return '#/contracts';
    case 'contract':
      return `#/contract/${id(route.id)}`;
    case 'contact':
      return `#/contact/${id(route.id)}`;
    case 'settings':
      return '#/settings';
    case 'product':
      return `#/product/${id(route.id)}`;
    case 'catalogue':
      return '#/catalogue';
    case 'new-quote': {
      const params = new URLSearchParams();
      if (route.account) params.set('account', route.account);
      if (route.deal) params.set('deal', route.deal);
      const query = params.toString();
      return query ? `#/quote/new?${query}` : '#/quote/new';
    }
    case 'quote':
      return `#/quote/${id(route.id)}`;
    case 'agenda':
      return '#/agenda';
    case 'tasks':
      return '#/tasks';
    case 'refused-changes':
      return '#/refused-changes';
    case 'conflicts':
      return '#/conflicts';
    case 'import':
      return '#/import';
    case 'duplicates':
      return '#/duplicates';
    case 'leads':
      return '#/leads';
    case 'lead':
      return `#/lead/${id(route.id)}`;
    case 'campaigns':
      return '#/campaigns';
    case 'campaign':
      return `#/campaign/${id(route.id)}`;
    case 'tickets':
      return '#/tickets';
    case 'ticket':
      return `#/ticket/${id(route.id)}`;
    case 'call':
      return route.number ? `#/call?${new URLSearchParams({ number: route.number })}` : '#/call';
    case 'reports':
      return route.week ? `#/reports/${id(route.week)}` : '#/reports';
    case 'dashboard':
      return '#/dashboard';
  }
}

/** The page of a record of `type`, or null for a type that has no page of its own
 *  (an activity, a task, an event: they are shown inside other pages). */
export function recordRoute(type: string | null, id: string): Route | null {
  switch (type) {
    case 'account':
      return { name: 'account', id };
    case 'contact':
      return { name: 'contact', id };
    case 'deal':
      return { name: 'deal', id };
    case 'contract':
      return { name: 'contract', id };
    case 'quote':
      return { name: 'quote', id };
    case 'product':
      return { name: 'product', id };
    case 'lead':
      return { name: 'lead', id };
    case 'campaign':
      return { name: 'campaign', id };
    case 'ticket':
      return { name: 'ticket', id };
    default:
      return null;
  }
}

export function navigate(route: Route): void {
  const hash = routeToHash(route);
  if (window.location.hash === hash) {
    // Same screen: ask for a re-render anyway (for example after saving a form).
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}
