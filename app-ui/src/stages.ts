//! The sales settings: deal types with their ordered stages, and contract types. They
//! are configurable per company (`sales_settings`, a record synced to every device) and
//! come from the core, which also knows the defaults: the app keeps no copy of them.
//! Until the first answer, no deal type is known. Stage ids are stable; labels come from
//! the settings, in English from the generated vocabulary for the default ids.

import { api, type SalesSettings, type StageSetting } from './api';
import { LOST_STAGE, WON_STAGE } from './generated/vocabulary';

let current: SalesSettings = { deal_types: [], contract_types: [] };
let warned = false;

/** Reloads the settings; on failure the last known ones stay. */
export async function loadSalesSettings(): Promise<SalesSettings> {
  try {
    const settings = await api.salesSettings();
    if (settings && Array.isArray(settings.deal_types) && settings.deal_types.length > 0) current = settings;
  } catch (reason) {
    if (!warned) console.warn('sales_settings failed, keeping the last known settings', reason);
    warned = true;
  }
  return current;
}

export function salesSettings(): SalesSettings {
  return current;
}

/** The deal type a deal belongs to: its own if known, else the first one. */
export function dealTypeOf(deal: { deal_type?: string | null }): string {
  const types = current.deal_types;
  return types.find((type) => type.id === deal.deal_type)?.id ?? types[0]?.id ?? deal.deal_type ?? '';
}

/** The stages of a deal type, in order (those of the first type for an unknown one). */
export function stagesOf(dealType: string | null | undefined): StageSetting[] {
  const types = current.deal_types;
  return (types.find((type) => type.id === dealType) ?? types[0])?.stages ?? [];
}

/** The label the settings give a stage of any deal type, if any. */
export function settingsStageLabel(stageId: string): string | undefined {
  for (const type of current.deal_types) {
    const found = type.stages.find((s) => s.id === stageId);
    if (found) return found.label;
  }
  return undefined;
}

/** Won and lost end a deal. */
export function isFinalStage(stageId: string | null | undefined): boolean {
  return stageId === WON_STAGE || stageId === LOST_STAGE;
}
