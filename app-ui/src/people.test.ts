// Unit tests of people.ts: whose a record is, the split between the user's own tasks and
// their team's, and the colleagues an account can be given to.

import { describe, expect, it } from 'vitest';
import type { Person, Task } from './api';
import { accountOwners, PeopleNames, reassignCandidates, splitMine, taskOwner, writtenBy } from './people';

const ME = 'u-manager';

function person(id: string, name: string, manager_id: string | null = null): Person {
  return { id, name, email: `${id}@example.fr`, manager_id };
}

const DIRECTORY = [
  person(ME, 'Marie Manager'),
  person('u-alice', 'Alice Martin', ME),
  person('u-bruno', 'Bruno Durand', ME),
  person('u-other', 'Zoé Ailleurs', 'u-other-manager'),
  person('u-admin', 'Admin', null),
];

function task(id: string, assignee: string | null, account: string | null = null): Task {
  return { id, type: 'task', title: id, due: '2026-03-12', assignee, account };
}

describe('the names of the people behind the owner fields', () => {
  const names = new PeopleNames(DIRECTORY, ME);

  it('calls the signed-in user « Vous » and the others by name', () => {
    expect(names.of(ME)).toBe('Vous');
    expect(names.of('u-alice')).toBe('Alice Martin');
  });

  it('says the user is unknown rather than showing an id', () => {
    expect(names.of('0190f3a2-0000-7000-8000-000000000000')).toBe('Utilisateur inconnu');
  });

  it('names nobody for a record without an owner', () => {
    expect(names.of(null)).toBeNull();
    expect(names.of('')).toBeNull();
  });

  it("says who wrote a timeline's entry", () => {
    expect(writtenBy('u-alice', names)).toBe('par Alice Martin');
    expect(writtenBy(ME, names)).toBe('par vous');
    expect(writtenBy(null, names)).toBeNull();
  });
});

describe('whose a task is', () => {
  const owners = accountOwners([
    { id: 'acc-alice', owner: 'u-alice' },
    { id: 'acc-nobody', owner: null },
  ]);

  it('is its assignee', () => {
    expect(taskOwner(task('t', 'u-bruno', 'acc-alice'), owners)).toBe('u-bruno');
  });

  it("is its account's owner when nobody is assigned to it", () => {
    expect(taskOwner(task('t', null, 'acc-alice'), owners)).toBe('u-alice');
  });

  it('is nobody without an assignee or an owned account', () => {
    expect(taskOwner(task('t', null, 'acc-nobody'), owners)).toBeNull();
    expect(taskOwner(task('t', null, null), owners)).toBeNull();
    expect(taskOwner(task('t', null, 'acc-not-on-this-device'), owners)).toBeNull();
  });
});

describe("the split between the user's tasks and the team's", () => {
  const owners = accountOwners([{ id: 'acc-mine', owner: ME }]);
  const tasks = [task('alice', 'u-alice'), task('mine', ME), task('inherited', null, 'acc-mine'), task('nobody', null)];

  it('keeps the order and puts every task on one side only', () => {
    const { mine, others } = splitMine(tasks, (t) => taskOwner(t, owners), ME);
    expect(mine.map((t) => t.id)).toEqual(['mine', 'inherited']);
    expect(others.map((t) => t.id)).toEqual(['alice', 'nobody']);
  });

  it('gives nothing to a user whose id is not known', () => {
    const { mine, others } = splitMine(tasks, (t) => taskOwner(t, owners), null);
    expect(mine).toEqual([]);
    expect(others).toHaveLength(tasks.length);
  });
});

describe('the colleagues an account can be given to', () => {
  const names = (people: Person[]) => people.map((p) => p.name);

  it("are a sales manager's team and the manager, by name", () => {
    expect(names(reassignCandidates(DIRECTORY, ME, 'team', null))).toEqual(['Alice Martin', 'Bruno Durand', 'Marie Manager']);
  });

  it('are everyone for an administrator', () => {
    expect(reassignCandidates(DIRECTORY, 'u-admin', 'all', null)).toHaveLength(DIRECTORY.length);
  });

  it('leave out the current owner', () => {
    expect(names(reassignCandidates(DIRECTORY, ME, 'team', 'u-alice'))).toEqual(['Bruno Durand', 'Marie Manager']);
  });

  it('are nobody for a user who may only edit their own accounts', () => {
    expect(reassignCandidates(DIRECTORY, 'u-alice', 'own', null)).toEqual([]);
  });
});
