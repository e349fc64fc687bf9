// Unit tests of session.ts: what the signed-in user's role lets the screens offer, read
// from the generated permission matrix.

import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from './api';
import { may, mayOn, reach, seesOthers, setUser, signedInUser } from './session';

function signIn(role: Role): void {
  setUser({ id: `u-${role}`, email: `${role}@example.fr`, name: role, role });
}

afterEach(() => setUser(null));

describe("what the signed-in user's role offers", () => {
  it('offers nothing when nobody is signed in', () => {
    expect(signedInUser()).toBeNull();
    expect(may('read', 'deal')).toBe(false);
    expect(reach('edit', 'account')).toBe('none');
  });

  it("shows a rep only their own records: no team agenda, no team's tasks, no rep filter", () => {
    signIn('rep');
    expect(seesOthers('event')).toBe(false);
    expect(seesOthers('task')).toBe(false);
    expect(seesOthers('deal')).toBe(false);
  });

  it("shows a sales manager their team's and an administrator everyone's", () => {
    signIn('manager');
    expect(seesOthers('event')).toBe(true);
    expect(seesOthers('deal')).toBe(true);
    expect(reach('edit', 'account')).toBe('team');
    signIn('admin');
    expect(seesOthers('task')).toBe(true);
    expect(reach('edit', 'account')).toBe('all');
  });

  it('lets a rep create deals but delete nothing', () => {
    signIn('rep');
    expect(may('create', 'deal')).toBe(true);
    expect(may('delete', 'account')).toBe(false);
    expect(may('create', 'product')).toBe(false);
  });

  it('lets support read contracts without editing them', () => {
    signIn('support');
    expect(may('read', 'contract')).toBe(true);
    expect(may('edit', 'contract')).toBe(false);
    expect(may('create', 'account')).toBe(false);
  });

  it("lets a rep change their own appointments, not another's, and delete none", () => {
    signIn('rep');
    expect(mayOn('edit', 'event', 'u-rep')).toBe(true);
    expect(mayOn('edit', 'event', null)).toBe(true);
    expect(mayOn('edit', 'event', 'u-other')).toBe(false);
    expect(mayOn('delete', 'event', 'u-rep')).toBe(false);
  });

  it("leaves a manager's team to the server, and lets an administrator change anyone's", () => {
    signIn('manager');
    expect(mayOn('edit', 'event', 'u-other')).toBe(true);
    signIn('admin');
    expect(mayOn('delete', 'event', 'u-other')).toBe(true);
  });
});
