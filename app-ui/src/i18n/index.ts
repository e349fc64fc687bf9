//! User-facing words in French (the default) and English. The chosen language is kept in
//! localStorage. Messages coming from the backend (validation errors, sync errors) are
//! shown as they are: the backend writes them.

import { en } from './en';
import { fr, type MessageKey } from './fr';

export type Lang = 'fr' | 'en';

const STORAGE_KEY = 'crm-terrain.lang';

type Key = MessageKey;

const dictionaries: Record<Lang, Record<Key, string>> = { fr, en };

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

let current: Lang = storedLang();

export function lang(): Lang {
  return current;
}

/** The BCP 47 locale used for dates and numbers. */
export function locale(): string {
  return current === 'fr' ? 'fr-FR' : 'en-GB';
}

export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode or storage disabled: the choice lasts for this session only.
  }
}

/** Translates `key`, replacing `{name}` placeholders with `params`. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Picks `<base>.one` or `<base>.many`; French treats 0 and 1 as singular. */
export function tCount(base: string, count: number, params: Record<string, string | number> = {}): string {
  const singular = current === 'fr' ? count <= 1 : count === 1;
  const key = `${base}.${singular ? 'one' : 'many'}` as Key;
  return t(key, { count, ...params });
}

/** Translates a key built at run time (a field name, a kind), falling back to `fallback`. */
export function tMaybe(key: string, fallback: string): string {
  return key in fr ? t(key as Key) : fallback;
}

export type { Key as MessageKey };
