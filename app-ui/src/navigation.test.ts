// Unit tests of navigation.ts: which module links each role is offered, where each role
// lands when the app opens, and which link a screen highlights.

import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from './api';
import { homeRoute, offeredLinks, sectionOf } from './navigation';
import { setUser } from './session';

function sectionsOf(role: Role): string[] {
  setUser({ id: `u-${role}`, email: `${role}@example.fr`, name: role, role });
  return offeredLinks().map((link) => link.section);
}

afterEach(() => setUser(null));

describe('the module links a role is offered', () => {
  it('offers the leads to marketing, sales managers, administrators and reps (their own), not to customer service', () => {
    for (const role of ['marketing', 'manager', 'admin', 'rep'] as const) expect(sectionsOf(role)).toContain('leads');
    expect(sectionsOf('support')).not.toContain('leads');
  });

  it('offers the tickets to customer service, sales managers, administrators and reps, not to marketing', () => {
    for (const role of ['support', 'manager', 'admin', 'rep'] as const) expect(sectionsOf(role)).toContain('tickets');
    expect(sectionsOf('marketing')).not.toContain('tickets');
  });

  it('offers the campaigns to marketing, who write them, and to sales managers and administrators, who read them', () => {
    for (const role of ['marketing', 'manager', 'admin'] as const) expect(sectionsOf(role)).toContain('campaigns');
    for (const role of ['rep', 'support'] as const) expect(sectionsOf(role)).not.toContain('campaigns');
  });

  it('gives marketing its leads and campaigns after « Aujourd’hui », and nothing of sales or support', () => {
    expect(sectionsOf('marketing')).toEqual(['home', 'leads', 'campaigns', 'reports', 'catalogue', 'agenda', 'tasks', 'conflicts', 'refused-changes', 'settings']);
  });

  it('offers no deals nor contracts to marketing, and no deals to customer service, who may not read them', () => {
    expect(sectionsOf('marketing')).not.toContain('pipeline');
    expect(sectionsOf('marketing')).not.toContain('contracts');
    expect(sectionsOf('support')).not.toContain('pipeline');
    expect(sectionsOf('support')).toContain('contracts');
  });

  it('keeps what reps had, in order, with their leads and tickets after « Aujourd’hui »', () => {
    expect(sectionsOf('rep')).toEqual(['home', 'leads', 'tickets', 'pipeline', 'dashboard', 'reports', 'contracts', 'catalogue', 'agenda', 'tasks', 'conflicts', 'refused-changes', 'import', 'settings']);
  });

  it('offers the weekly reports to every role', () => {
    for (const role of ['rep', 'manager', 'marketing', 'support', 'admin'] as const) expect(sectionsOf(role)).toContain('reports');
  });

  it('offers the dashboard to those who may read deals: reps, sales managers and administrators', () => {
    for (const role of ['rep', 'manager', 'admin'] as const) expect(sectionsOf(role)).toContain('dashboard');
    for (const role of ['marketing', 'support'] as const) expect(sectionsOf(role)).not.toContain('dashboard');
  });

  it('offers the import to those who may create accounts and the duplicates to those who may delete them', () => {
    expect(sectionsOf('marketing')).not.toContain('import');
    expect(sectionsOf('admin')).toEqual(expect.arrayContaining(['import', 'duplicates']));
  });
});

describe('where a role lands', () => {
  it('sends marketing to the lead inbox and customer service to the ticket queue', () => {
    expect(homeRoute('marketing')).toEqual({ name: 'leads' });
    expect(homeRoute('support')).toEqual({ name: 'tickets' });
  });

  it('sends a sales manager to the team’s week', () => {
    expect(homeRoute('manager')).toEqual({ name: 'reports' });
  });

  it('keeps « Aujourd’hui » for the others, and when nobody is known', () => {
    for (const role of ['rep', 'admin', null, undefined]) expect(homeRoute(role)).toEqual({ name: 'home' });
  });
});

describe('the link a screen highlights', () => {
  it('highlights the leads on a lead, the tickets on a ticket and on a call card', () => {
    expect(sectionOf({ name: 'lead', id: 'l-1' })).toBe('leads');
    expect(sectionOf({ name: 'leads' })).toBe('leads');
    expect(sectionOf({ name: 'ticket', id: 't-1' })).toBe('tickets');
    expect(sectionOf({ name: 'call', number: '0478000000' })).toBe('tickets');
  });

  it('highlights the campaigns on the list and on a campaign', () => {
    expect(sectionOf({ name: 'campaigns' })).toBe('campaigns');
    expect(sectionOf({ name: 'campaign', id: 'c-1' })).toBe('campaigns');
  });

  it('highlights the reports on any week’s report, and the dashboard on the dashboard', () => {
    expect(sectionOf({ name: 'reports' })).toBe('reports');
    expect(sectionOf({ name: 'reports', week: '2026-W49' })).toBe('reports');
    expect(sectionOf({ name: 'dashboard' })).toBe('dashboard');
  });

  it('highlights nothing on an account, which the portfolio shows', () => {
    expect(sectionOf({ name: 'account', id: 'a-1' })).toBeNull();
  });
});
