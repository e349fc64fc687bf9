// Unit tests of router.ts: every screen read from its URL hash, every route written back
// to a hash and read again, and navigate() with a stand-in for the webview's window.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { navigate, parseRoute, recordRoute, routeToHash, type Route } from './router';

/** Every route of the app with the hash that addresses it (the table in router.ts). */
const ROUTES: ReadonlyArray<[string, Route]> = [
  ['#/', { name: 'home' }],
  ['#/accounts/new', { name: 'new-account' }],
  ['#/accounts/acc-1', { name: 'account', id: 'acc-1' }],
  ['#/accounts/acc-1/edit', { name: 'edit-account', id: 'acc-1' }],
  ['#/pipeline', { name: 'pipeline' }],
  ['#/deal/deal-7', { name: 'deal', id: 'deal-7' }],
  ['#/contracts', { name: 'contracts' }],
  ['#/contract/ctr-3', { name: 'contract', id: 'ctr-3' }],
  ['#/contact/ct-4', { name: 'contact', id: 'ct-4' }],
  ['#/settings', { name: 'settings' }],
  ['#/product/p-9', { name: 'product', id: 'p-9' }],
  ['#/catalogue', { name: 'catalogue' }],
  ['#/quote/new', { name: 'new-quote', account: null, deal: null }],
  ['#/quote/new?account=acc-1', { name: 'new-quote', account: 'acc-1', deal: null }],
  ['#/quote/new?deal=deal-7', { name: 'new-quote', account: null, deal: 'deal-7' }],
  ['#/quote/new?account=acc-1&deal=deal-7', { name: 'new-quote', account: 'acc-1', deal: 'deal-7' }],
  ['#/quote/q-9', { name: 'quote', id: 'q-9' }],
  ['#/agenda', { name: 'agenda' }],
  ['#/tasks', { name: 'tasks' }],
  ['#/refused-changes', { name: 'refused-changes' }],
  ['#/conflicts', { name: 'conflicts' }],
  ['#/import', { name: 'import' }],
  ['#/duplicates', { name: 'duplicates' }],
  ['#/leads', { name: 'leads' }],
  ['#/lead/lead-5', { name: 'lead', id: 'lead-5' }],
  ['#/campaigns', { name: 'campaigns' }],
  ['#/campaign/cmp-2', { name: 'campaign', id: 'cmp-2' }],
  ['#/tickets', { name: 'tickets' }],
  ['#/ticket/tk-8', { name: 'ticket', id: 'tk-8' }],
  ['#/call?number=0478000000', { name: 'call', number: '0478000000' }],
  ['#/call', { name: 'call', number: '' }],
  ['#/accounts/new?phone=0478000000', { name: 'new-account', phone: '0478000000' }],
  ['#/reports', { name: 'reports' }],
  ['#/reports/2026-W49', { name: 'reports', week: '2026-W49' }],
  ['#/reports/2026-W53', { name: 'reports', week: '2026-W53' }],
  ['#/dashboard', { name: 'dashboard' }],
];

describe('reading a screen from the URL hash', () => {
  it.each(ROUTES)('opens %s as the right screen', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('opens the welcome screen for an empty hash or a bare "#"', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#')).toEqual({ name: 'home' });
  });

  it('opens the welcome screen for an unknown address', () => {
    expect(parseRoute('#/statistics')).toEqual({ name: 'home' });
    expect(parseRoute('#/ACCOUNTS/acc-1')).toEqual({ name: 'home' });
  });

  it('opens the welcome screen for the accounts list, which has no page of its own', () => {
    expect(parseRoute('#/accounts')).toEqual({ name: 'home' });
  });

  it('falls back to the list when a deal or a contract has no id', () => {
    expect(parseRoute('#/deal')).toEqual({ name: 'pipeline' });
    expect(parseRoute('#/deal/')).toEqual({ name: 'pipeline' });
    expect(parseRoute('#/contract')).toEqual({ name: 'contracts' });
  });

  it('opens a new quote for "#/quote" without an id', () => {
    expect(parseRoute('#/quote')).toEqual({ name: 'new-quote', account: null, deal: null });
  });

  it('ignores empty query parameters of a new quote', () => {
    expect(parseRoute('#/quote/new?account=&deal=')).toEqual({ name: 'new-quote', account: null, deal: null });
  });

  it('ignores a query on screens that take none', () => {
    expect(parseRoute('#/pipeline?account=acc-1')).toEqual({ name: 'pipeline' });
    expect(parseRoute('#/quote/q-9?deal=deal-7')).toEqual({ name: 'quote', id: 'q-9' });
  });

  it('accepts a hash without the slash, a trailing slash and extra segments', () => {
    expect(parseRoute('#pipeline')).toEqual({ name: 'pipeline' });
    expect(parseRoute('#accounts/acc-1')).toEqual({ name: 'account', id: 'acc-1' });
    expect(parseRoute('#/tasks/')).toEqual({ name: 'tasks' });
    expect(parseRoute('#/accounts/acc-1/contacts')).toEqual({ name: 'account', id: 'acc-1' });
  });

  it('decodes ids written with percent escapes', () => {
    expect(parseRoute('#/accounts/Caf%C3%A9%20du%20Port')).toEqual({ name: 'account', id: 'Café du Port' });
    expect(parseRoute('#/deal/a%2Fb')).toEqual({ name: 'deal', id: 'a/b' });
  });

  it('reads the current hash of the window when given none', () => {
    vi.stubGlobal('window', { location: { hash: '#/agenda' } });
    try {
      expect(parseRoute()).toEqual({ name: 'agenda' });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('opens the screen the address names, without throwing, for a hash with a malformed percent escape', () => {
    expect(parseRoute('#/accounts/%E0%A4%A')).toEqual({ name: 'account', id: '%E0%A4%A' });
    expect(parseRoute('#/deal/100%')).toEqual({ name: 'deal', id: '100%' });
  });
});

describe('the screens of marketing and customer service', () => {
  it('falls back to the lists when a lead, a campaign or a ticket has no id', () => {
    expect(parseRoute('#/lead')).toEqual({ name: 'leads' });
    expect(parseRoute('#/campaign')).toEqual({ name: 'campaigns' });
    expect(parseRoute('#/campaign/')).toEqual({ name: 'campaigns' });
    expect(parseRoute('#/ticket/')).toEqual({ name: 'tickets' });
  });

  it('reads the number of an incoming call as the telephony hook sends it, dots, spaces and plus sign kept', () => {
    expect(parseRoute('#/call?number=04.78.00.00.00')).toEqual({ name: 'call', number: '04.78.00.00.00' });
    expect(parseRoute('#/call?number=%2B33%204%2078%2000%2000%2000')).toEqual({ name: 'call', number: '+33 4 78 00 00 00' });
    expect(parseRoute('#/call?number=++04+78+')).toEqual({ name: 'call', number: '04 78' });
  });

  it('opens the call card without a number for an empty one, to type it', () => {
    expect(parseRoute('#/call?number=')).toEqual({ name: 'call', number: '' });
    expect(routeToHash({ name: 'call', number: '' })).toBe('#/call');
  });

  it('opens the new account form with the phone of an unknown caller, and without when none is given', () => {
    expect(parseRoute('#/accounts/new?phone=')).toEqual({ name: 'new-account' });
    expect(routeToHash({ name: 'new-account', phone: '+33 4 78 00 00 00' })).toBe('#/accounts/new?phone=%2B33+4+78+00+00+00');
  });

  it.each(['+33 4 78 00 00 00', '04.78.00.00.00', '(0)4-78/00', '0478000000'])('keeps the number %j through the hash of the call card', (number) => {
    const route: Route = { name: 'call', number };
    expect(parseRoute(routeToHash(route))).toEqual(route);
  });
});

describe('the reports and the dashboard', () => {
  it('opens the report of the week the address names, written as the core writes it', () => {
    expect(parseRoute('#/reports/2026-w5')).toEqual({ name: 'reports', week: '2026-W05' });
    expect(parseRoute('#/reports/2027-W01/')).toEqual({ name: 'reports', week: '2027-W01' });
  });

  it('opens this week’s report for a week that does not exist or cannot be read', () => {
    expect(parseRoute('#/reports/2025-W53')).toEqual({ name: 'reports' });
    expect(parseRoute('#/reports/2026-W00')).toEqual({ name: 'reports' });
    expect(parseRoute('#/reports/semaine-49')).toEqual({ name: 'reports' });
  });

  it('writes this week’s report without a week', () => {
    expect(routeToHash({ name: 'reports' })).toBe('#/reports');
    expect(routeToHash({ name: 'reports', week: '' })).toBe('#/reports');
  });

  it('ignores extra segments and queries of the dashboard', () => {
    expect(parseRoute('#/dashboard/team?from=2026-01-01')).toEqual({ name: 'dashboard' });
  });
});

describe('writing a route as a hash', () => {
  it.each(ROUTES)('writes %s', (hash, route) => {
    expect(routeToHash(route)).toBe(hash);
  });

  it('leaves out the missing parameters of a new quote', () => {
    expect(routeToHash({ name: 'new-quote', account: '', deal: null })).toBe('#/quote/new');
  });
});

describe('round trips', () => {
  it.each(ROUTES)('reads back %s as the same route', (_hash, route) => {
    expect(parseRoute(routeToHash(route))).toEqual(route);
  });

  const awkward = ['Café du Port', 'a/b', 'what?', '50%', 'x#y', 'a&b=c', 'plus+sign', '  spaced  ', 'ÉTÉ-2026'];

  it.each(awkward)('keeps the id %j through the hash of every page with an id', (id) => {
    for (const route of [
      { name: 'account', id },
      { name: 'edit-account', id },
      { name: 'deal', id },
      { name: 'contract', id },
      { name: 'quote', id },
      { name: 'lead', id },
      { name: 'campaign', id },
      { name: 'ticket', id },
    ] satisfies Route[]) {
      expect(parseRoute(routeToHash(route))).toEqual(route);
    }
  });

  it.each(awkward)('keeps the account and deal %j in the query of a new quote', (id) => {
    const route: Route = { name: 'new-quote', account: id, deal: id };
    expect(parseRoute(routeToHash(route))).toEqual(route);
  });

  it('cannot address a record whose id is "new" (the hash means the new-record form)', () => {
    expect(parseRoute(routeToHash({ name: 'account', id: 'new' }))).toEqual({ name: 'new-account' });
    expect(parseRoute(routeToHash({ name: 'quote', id: 'new' }))).toEqual({
      name: 'new-quote',
      account: null,
      deal: null,
    });
  });
});

describe('the page of a record named by its type', () => {
  it.each([
    ['account', { name: 'account', id: 'r-1' }],
    ['contact', { name: 'contact', id: 'r-1' }],
    ['deal', { name: 'deal', id: 'r-1' }],
    ['contract', { name: 'contract', id: 'r-1' }],
    ['quote', { name: 'quote', id: 'r-1' }],
    ['product', { name: 'product', id: 'r-1' }],
    ['lead', { name: 'lead', id: 'r-1' }],
    ['campaign', { name: 'campaign', id: 'r-1' }],
    ['ticket', { name: 'ticket', id: 'r-1' }],
  ] satisfies Array<[string, Route]>)('opens a %s on its own page', (type, route) => {
    expect(recordRoute(type, 'r-1')).toEqual(route);
  });

  it('has no page for records shown inside other pages, nor for an unknown type', () => {
    for (const type of ['activity', 'event', 'task', 'settings', 'widget', null]) {
      expect(recordRoute(type, 'r-1')).toBeNull();
    }
  });
});

describe('navigating', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** A stand-in for the webview's window and HashChangeEvent (there is no DOM under Node). */
  function fakeWindow(hash: string) {
    const dispatched: Event[] = [];
    const win = {
      location: { hash },
      dispatchEvent: (event: Event) => {
        dispatched.push(event);
        return true;
      },
    };
    vi.stubGlobal('window', win);
    vi.stubGlobal(
      'HashChangeEvent',
      class extends Event {
        constructor(type: string) {
          super(type);
        }
      },
    );
    return { win, dispatched };
  }

  it('changes the hash to go to another screen', () => {
    const { win, dispatched } = fakeWindow('#/pipeline');
    navigate({ name: 'deal', id: 'deal 7' });
    expect(win.location.hash).toBe('#/deal/deal%207');
    expect(dispatched).toHaveLength(0);
  });

  it('asks for a re-render with a hashchange event when already on the screen', () => {
    const { win, dispatched } = fakeWindow('#/accounts/acc-1');
    navigate({ name: 'account', id: 'acc-1' });
    expect(win.location.hash).toBe('#/accounts/acc-1');
    expect(dispatched.map((event) => event.type)).toEqual(['hashchange']);
  });
});
