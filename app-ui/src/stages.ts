//! The stages of each deal type, in order, as `crm-core` defines them (stage ids are
//! stable). The pipeline board needs them before any deal exists; a deal page uses the
//! list `deal_view` sends. Labels come from `i18n.ts` (`stage.<id>`).

import type { DealType } from './api';

export const DEAL_TYPES: readonly DealType[] = ['simple', 'complex'];

const STAGES: Record<DealType, readonly string[]> = {
  simple: ['qualification', 'proposal', 'negotiation', 'won', 'lost'],
  complex: ['qualification', 'analysis', 'solution', 'proposal', 'negotiation', 'committee', 'won', 'lost'],
};

/** The stage ids of a deal type; an unknown type is treated as simple, as the backend does. */
export function stagesOf(dealType: string | null | undefined): readonly string[] {
  return dealType === 'complex' ? STAGES.complex : STAGES.simple;
}

/** Won and lost end a deal. */
export function isFinalStage(stage: string | null | undefined): boolean {
  return stage === 'won' || stage === 'lost';
}

/** The deal type of a record, `simple` when missing. */
export function dealTypeOf(deal: { deal_type?: string | null }): DealType {
  return deal.deal_type === 'complex' ? 'complex' : 'simple';
}
