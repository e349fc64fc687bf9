//! Who is signed in, for what the screens offer: a button the server would refuse is not
//! shown, and the screens that can hold other people's records (a manager's team, an
//! administrator's company) say whose each one is. The rules are crm-core's permission
//! matrix (generated); the server checks again.

import type { User } from './api';
import { PERMISSIONS, type Scope } from './generated/vocabulary';

type Action = 'read' | 'create' | 'edit' | 'delete';

let user: User | null = null;

/** Called with every status: the signed-in user, or null. */
export function setUser(next: User | null): void {
  user = next;
}

/** The signed-in user, or null (signed out, or the data still locked). */
export function signedInUser(): User | null {
  return user;
}

/** How far the user may `action` records of `type`: `none` when signed out. */
export function reach(action: Action, type: string): Scope {
  if (!user) return 'none';
  return PERMISSIONS[user.role]?.[type]?.[action] ?? 'none';
}

/** Whether the user may `action` records of `type` at all (some of them at least). */
export function may(action: Action, type: string): boolean {
  return reach(action, type) !== 'none';
}

/** Whether the user may `action` this record of `type`, owned by `owner`: with a reach of
 *  `own`, only their own (a record with no owner yet counts as theirs); a team's reach is
 *  left to the server, which knows the team. */
export function mayOn(action: Action, type: string, owner: string | null | undefined): boolean {
  const scope = reach(action, type);
  if (scope === 'none') return false;
  if (scope === 'own') return !owner || owner === user?.id;
  return true;
}

/** Whether the user sees records of `type` that are not their own: a sales manager their
 *  team's, an administrator everyone's. A rep sees only their own. */
export function seesOthers(type: string): boolean {
  const scope = reach('read', type);
  return scope === 'team' || scope === 'all';
}
