//! Who is signed in, for what the screens offer: a button the server would refuse is not
//! shown. The rules are crm-core's permission matrix (generated); the server checks again.

import { PERMISSIONS, type Scope } from './generated/vocabulary';

let role: string | null = null;

/** Called with every status: the signed-in user's role, or null. */
export function setRole(next: string | null): void {
  role = next;
}

/** Whether the user may `action` records of `type` at all (some of them at least). */
export function may(action: 'read' | 'create' | 'edit' | 'delete', type: string): boolean {
  if (!role) return false;
  const scope: Scope | undefined = PERMISSIONS[role]?.[type]?.[action];
  return scope !== undefined && scope !== 'none';
}
