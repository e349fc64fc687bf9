//! The sales settings: deal types with their ordered stages, and contract types. They are
//! configurable per company (`sales_settings`, a record synced to every device); until
//! they are loaded, or with a backend that does not know them, the defaults below (the
//! same as `crm-core`'s) are used. Stage ids are stable; labels come from the settings,
//! or from `i18n.ts` in English for the default ids (see `format.ts`).

import { api, type SalesSettings, type StageSetting } from './api';

const stage = (id: string, label: string, probability: number): StageSetting => ({ id, label, probability });
const END = [stage('won', 'Gagnée', 100), stage('lost', 'Perdue', 0)];

const DEFAULTS: SalesSettings = {
  deal_types: [
    {
      id: 'simple',
      label: 'Projet simple',
      stages: [stage('qualification', 'Qualification', 10), stage('proposal', 'Proposition', 40), stage('negotiation', 'Négociation', 70), ...END],
    },
    {
      id: 'complex',
      label: 'Projet évolué',
      stages: [
        stage('qualification', 'Qualification', 10),
        stage('analysis', 'Analyse des besoins', 20),
        stage('solution', 'Conception de la solution', 35),
        stage('proposal', 'Proposition', 50),
        stage('negotiation', 'Négociation', 70),
        stage('committee', 'Comité de décision', 85),
        ...END,
      ],
    },
  ],
  contract_types: [
    { id: 'on_call', label: 'Service de garde' },
    { id: 'accounting', label: 'Services comptables' },
    { id: 'it_services', label: 'Services informatiques' },
  ],
};

let current: SalesSettings = DEFAULTS;
let warned = false;

/** Reloads the settings; on failure the last known (or default) ones stay. */
export async function loadSalesSettings(): Promise<SalesSettings> {
  try {
    const settings = await api.salesSettings();
    if (settings && Array.isArray(settings.deal_types) && settings.deal_types.length > 0) current = settings;
  } catch (reason) {
    if (!warned) console.warn('sales_settings failed, using the defaults', reason);
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
  return types.find((type) => type.id === deal.deal_type)?.id ?? types[0]?.id ?? 'simple';
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
  return stageId === 'won' || stageId === 'lost';
}
