//! The people behind the owner fields, for the screens where a manager sees more than their
//! own records (UX rule 7, "managers see people"): a user's name (the signed-in user is
//! « Vous »), whose a task is, the split of a list between the user's own records and the
//! others', and the colleagues an account can be given to. Pure: the directory
//! (`api.people()`) and the signed-in user are passed in.

import type { Account, Person, Task } from './api';
import type { Scope } from './generated/vocabulary';
import { t } from './i18n';

/** The users' names by id, as a screen shows them. */
export class PeopleNames {
  private readonly names: Map<string, string>;

  /** `people` is the directory this device keeps; `meId` the signed-in user's id. */
  constructor(people: readonly Person[], readonly meId: string | null) {
    this.names = new Map(people.map((person) => [person.id, person.name]));
  }

  /** « Vous » for the signed-in user, the name from the directory for the others,
   *  « Utilisateur inconnu » for an id not in it (yet), null for no one. */
  of(id: string | null | undefined): string | null {
    if (!id) return null;
    if (id === this.meId) return t('people.you');
    return this.names.get(id) ?? t('people.unknown');
  }
}

/** Who wrote an activity, for its timeline entry: "par Claire Martin", "par vous"; null
 *  when it has no author. */
export function writtenBy(author: string | null | undefined, names: PeopleNames): string | null {
  if (!author) return null;
  if (author === names.meId) return t('timeline.byYou');
  return t('timeline.by', { name: names.of(author) ?? '' });
}

/** The ids of the accounts' owners, to find whose a task without an assignee is. */
export function accountOwners(accounts: readonly Pick<Account, 'id' | 'owner'>[]): Map<string, string | null> {
  return new Map(accounts.map((account) => [account.id, account.owner ?? null]));
}

/**
 * Whose a task is, by crm-core's rule (permissions.rs): its assignee; a task nobody is
 * assigned to belongs to its account's owner; null when it has neither.
 */
export function taskOwner(task: Pick<Task, 'assignee' | 'account'>, owners: ReadonlyMap<string, string | null>): string | null {
  if (task.assignee) return task.assignee;
  return (task.account && owners.get(task.account)) || null;
}

/** `items` in their order, split between those `meId` owns and the others. */
export function splitMine<T>(items: readonly T[], ownerOf: (item: T) => string | null | undefined, meId: string | null): { mine: T[]; others: T[] } {
  const mine: T[] = [];
  const others: T[] = [];
  for (const item of items) {
    const owner = ownerOf(item);
    if (meId !== null && owner === meId) mine.push(item);
    else others.push(item);
  }
  return { mine, others };
}

/**
 * The colleagues an account can be given to, by name: everyone for a user who may edit
 * every account (an administrator); for a sales manager (team scope), the manager and
 * the people who report to them; nobody otherwise. Its current owner is left out.
 */
export function reassignCandidates(people: readonly Person[], meId: string | null, scope: Scope, currentOwner: string | null | undefined): Person[] {
  const reachable = (person: Person): boolean => {
    if (scope === 'all') return true;
    if (scope === 'team') return meId !== null && (person.id === meId || person.manager_id === meId);
    return false;
  };
  return people
    .filter((person) => reachable(person) && person.id !== currentOwner)
    .sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }));
}
