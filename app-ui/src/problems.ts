//! Telling the user what went wrong. The backend answers a failed command with a problem
//! (`{code, field?, params?}`); its words come from the table generated from the Rust
//! core (`generated/sentences.ts`, the same sentences the command line prints), in the
//! user's language, with the field's label from the app's own labels.

import type { Problem } from './generated/Problem';
import { SENTENCES } from './generated/sentences';
import { choiceLabel, fieldLabel, recordTypeLabel, roleLabel } from './format';
import { CHOICES } from './generated/vocabulary';
import { lang } from './i18n';

/** Whether `value` has the shape of a problem sent by the backend. */
export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

/** The sentence that tells `problem`, in the user's language. */
export function tell(problem: Problem): string {
  const sentence = SENTENCES[problem.code];
  if (!sentence) return problem.code;
  const french = lang() === 'fr';
  const params = problem.params ?? {};
  const text = (french ? sentence.fr : sentence.en).replace(/\{(\w+)\}/g, (whole, name: string) => {
    // The record type's own word when it has one (a campaign's `body` is its e-mail's text).
    if (name === 'label') return problem.field ? fieldLabel(problem.field, params.type) : '';
    if (name === 'field') return problem.field ?? params.field ?? whole;
    const raw = params[name];
    if (raw === undefined) return whole;
    // Ids become words, as the command line does: a record type, a role, the values of
    // the field's list.
    if (name === 'type') return recordTypeLabel(raw);
    if (name === 'role') return french ? roleLabel(raw).toLowerCase() : roleLabel(raw);
    const list = params.type && problem.field ? CHOICES[`${params.type}.${problem.field}`] : undefined;
    if (list && (name === 'allowed' || name === 'from' || name === 'to')) {
      return raw
        .split(', ')
        .map((id) => choiceLabel(list, id))
        .join(', ');
    }
    return raw;
  });
  return french ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
