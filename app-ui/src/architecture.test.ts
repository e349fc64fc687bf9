// The rules of the sales cycle live once, in crm-core: the app asks for them or reads
// them from the files generated from Rust (`src/generated/`). This test fails when a
// stage or status id is written by hand anywhere else in the app, so a list added or
// renamed in Rust cannot silently drift from a copy here.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHOICES, QUOTE_MOVES, SETTINGS_LABELS_EN } from './generated/vocabulary';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Every TypeScript source of the app, except the generated files and the tests. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The ids of the default stages, deal types and contract types, and of every status. */
function forbiddenIds(): Set<string> {
  const ids = new Set<string>(Object.keys(SETTINGS_LABELS_EN));
  for (const [key, list] of Object.entries(CHOICES)) {
    if (key.endsWith('.status')) for (const choice of list) ids.add(choice.id);
  }
  for (const status of Object.keys(QUOTE_MOVES)) ids.add(status);
  // `new` (a lead's or a ticket's first status) is also a word of addresses
  // (`#/accounts/new`) and the server's name for a new password: too common to forbid.
  ids.delete('new');
  return ids;
}

/** A quoted id, unless it is a CSS class name given to classList (e.g. `'active'`). */
function handWrittenIds(text: string, ids: Set<string>): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
    for (const match of line.matchAll(/(['"`])([a-z_]+)\1/g)) {
      const id = match[2]!;
      if (!ids.has(id)) continue;
      const before = line.slice(0, match.index);
      if (/classList\.(toggle|add|remove|contains)\($/.test(before)) continue;
      found.push(`${id}: ${line.trim()}`);
    }
  }
  return found;
}

describe('the contract between the core and the app', () => {
  it('knows the ids it checks (the generated vocabulary is there)', () => {
    const ids = forbiddenIds();
    for (const id of ['won', 'lost', 'proposal', 'accepted', 'notice_given']) expect(ids.has(id)).toBe(true);
  });

  it('finds a hand-written stage id where there is one', () => {
    expect(handWrittenIds("if (deal.stage === 'won') {", forbiddenIds())).toHaveLength(1);
    expect(handWrittenIds("link.classList.toggle('active', on);", forbiddenIds())).toHaveLength(0);
  });

  it('writes no stage or status id by hand outside the generated files', () => {
    const ids = forbiddenIds();
    const offences = sources(SRC).flatMap((path) =>
      handWrittenIds(readFileSync(path, 'utf8'), ids).map((what) => `${relative(SRC, path)}: ${what}`),
    );
    expect(offences).toEqual([]);
  });
});
