//! What the quote page offers for a quote's status: the moves of the core's workflow
//! (`QUOTE_MOVES`), the main one first, which of them asks before it is done, and whether
//! the lines may still be changed (a draft only). Also the saved lines put back into the
//! editor's inputs. Pure: no DOM, no call to the backend.

import type { LineInput, QuoteLine } from './api';
import { QUOTE_ACCEPTED, QUOTE_DRAFT, QUOTE_MOVES, QUOTE_SENT } from './generated/vocabulary';
import { locale } from './i18n';

export { QUOTE_DRAFT, QUOTE_SENT };

/** One status button of the quote page. */
export interface QuoteAction {
  /** The status the quote moves to. */
  status: string;
  /** The page's main action ("Envoyer" on a draft, "Marquer accepté" once sent). */
  primary: boolean;
  /** Irreversible (accepting wins the deal and creates its contract): asked first. */
  confirm: boolean;
}

/** Whether a quote's lines may still be changed. */
export function isDraftQuote(status: string): boolean {
  return status === QUOTE_DRAFT;
}

/** The moves allowed from `status`, the main one first, then in the core's order. */
export function quoteActions(status: string): QuoteAction[] {
  const moves = QUOTE_MOVES[status] ?? [];
  const main = isDraftQuote(status) ? QUOTE_SENT : QUOTE_ACCEPTED;
  const actions = moves.map((next) => ({ status: next, primary: next === main, confirm: next === QUOTE_ACCEPTED }));
  return [...actions.filter((a) => a.primary), ...actions.filter((a) => !a.primary)];
}

/**
 * A saved quote's lines as the editor's inputs: reference, quantity and discount written
 * the way the user types them (`2,5` in French, no thousands separator), so saving them
 * unchanged gives the same lines back.
 */
export function lineInputsOf(lines: readonly QuoteLine[]): LineInput[] {
  return lines.map((line) => ({
    reference: line.reference,
    quantity: decimalForInput(line.quantity),
    discount: decimalForInput(line.discount_percent),
  }));
}

/** "2.500" → "2,5" (French) or "2.5" (English); text that is not a number is kept. */
export function decimalForInput(value: string): string {
  const text = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const [units = '0', fraction = ''] = text.split('.');
  const decimals = fraction.replace(/0+$/, '');
  if (!decimals) return units;
  return `${units}${locale() === 'fr-FR' ? ',' : '.'}${decimals}`;
}
