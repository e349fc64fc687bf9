//! What moving a deal to a stage sends: the stage, and for a lost deal the reason it was
//! lost, which the user must give (the manager's Monday meeting reads it); and which moves
//! are asked first (winning creates the contract, losing ends the deal). Pure, so the
//! deal page and the pipeline board can share it.

import type { Fields } from './api';
import { LOST_STAGE, WON_STAGE } from './generated/vocabulary';

/** The fields to send, or `missingReason` when a lost deal has no reason typed. */
export type StageMove = { fields: Fields } | { missingReason: true };

/** Whether moving to `stage` is asked first: won and lost cannot be taken back lightly. */
export function asksConfirmation(stage: string): boolean {
  return stage === WON_STAGE || needsLossReason(stage);
}

/** Whether moving to `stage` asks for a loss reason. */
export function needsLossReason(stage: string): boolean {
  return stage === LOST_STAGE;
}

/** The edit moving a deal to `stage`; `reason` is what the user typed (trimmed here). */
export function stageMove(stage: string, reason = ''): StageMove {
  if (!needsLossReason(stage)) return { fields: { stage } };
  const typed = reason.trim();
  if (!typed) return { missingReason: true };
  return { fields: { stage, lost_reason: typed } };
}
