//! The import wizard's decisions, in words and numbers: which record types and match
//! keys it offers, the choices of each column's select and the mapping sent back, the
//! progress bar's rows per second and time left (the clock is passed in), the first
//! refused rows shown, and the file's name as the user chose it. Pure: the page draws
//! these, the tests read them. Reading the file and matching rows are crm-core's.

import type { ImportError, ImportPreview, ImportProgress, ImportTarget, MatchKey, RecordType, UndoReport } from './api';
import { locale, t, tCount, tMaybe, type MessageKey } from './i18n';

/** What a file can bring in (crm-core's `IMPORTABLE`), in the order the wizard offers them. */
export const IMPORT_TYPES = ['account', 'contact', 'contract', 'product', 'activity'] as const satisfies readonly RecordType[];
export type ImportType = (typeof IMPORT_TYPES)[number];

/** « Comptes », « Activités passées »: what the wizard calls each type. */
export function importTypeLabel(type: ImportType): string {
  return t(`import.type.${type}` as MessageKey);
}

/**
 * The match keys that identify records of `type`, as crm-core's `MatchKey::fits` says:
 * an account by its SIRET or its name and postal code, a contact by e-mail or name, and
 * anything by an external id. `null` is « Automatique »: products by reference,
 * contracts and activities by what they are.
 */
export function matchKeysFor(type: ImportType): Array<MatchKey | null> {
  switch (type) {
    case 'account':
      return ['external_id', 'siret', 'name_postal'];
    case 'contact':
      return ['external_id', 'email', 'name_postal'];
    default:
      return [null, 'external_id'];
  }
}

/** The key chosen first: the core's default when the type offers it, else the first one. */
export function defaultMatchKey(type: ImportType, suggested: MatchKey | null): MatchKey | null {
  const keys = matchKeysFor(type);
  return keys.includes(suggested) ? suggested : (keys[0] ?? null);
}

/** « Identifiant externe », « Automatique ». */
export function matchKeyLabel(key: MatchKey | null): string {
  return key ? t(`import.match.${key}` as MessageKey) : t('import.match.auto');
}

/** One choice of a select: its value ('' for none) and its words. */
export interface Option {
  value: string;
  label: string;
}

/** The words of a place a column can go: the app's label of the field when it has one
 *  (in the user's language), else the core's, with a capital. */
export function targetLabel(target: ImportTarget, type: ImportType): string {
  const own = tMaybe(`field.${type}.${target.id}`, '') || tMaybe(`field.${target.id}`, '');
  return own || target.label.charAt(0).toUpperCase() + target.label.slice(1);
}

/** The choices of every column's select: « — ne pas importer — », then each target. */
export function targetOptions(targets: readonly ImportTarget[], type: ImportType): Option[] {
  return [{ value: '', label: t('import.skip') }, ...targets.map((target) => ({ value: target.id, label: targetLabel(target, type) }))];
}

/** One line of the mapping table: the header and the field it goes to ('' for none). */
export interface MappingRow {
  header: string;
  target: string;
}

/** The preview as the mapping table shows it, one row per column of the file. */
export function mappingRows(preview: Pick<ImportPreview, 'headers' | 'mapping'>): MappingRow[] {
  return preview.headers.map((header, i) => ({ header, target: preview.mapping[i] ?? '' }));
}

/** The mapping sent with the import: header → field, `null` for a column left out. */
export function mappingOption(rows: readonly MappingRow[]): Record<string, string | null> {
  const mapping: Record<string, string | null> = {};
  for (const row of rows) mapping[row.header] = row.target === '' ? null : row.target;
  return mapping;
}

/** The name the user gave the file: the app keeps it as `<32 hex digits>-<name>`. */
export function keptFileName(kept: string): string {
  return kept.replace(/^[0-9a-f]{32}-/, '');
}

/** Whether a chosen file is a vCard, imported as contacts without a mapping. */
export function isVcard(fileName: string): boolean {
  return /\.vcf$/i.test(fileName.trim());
}

/** « Import annulé : 2 fiches supprimées, 0 fiche remise comme avant, 0 champ gardé car modifié depuis ». */
export function undoText(report: Pick<UndoReport, 'removed' | 'restored' | 'kept'>): string {
  const parts = [tCount('import.undo.removed', report.removed), tCount('import.undo.restored', report.restored), tCount('import.undo.kept', report.kept)];
  return `${t('import.undoneTitle')} ${parts.join(', ')}.`;
}

/** The refused rows the result table shows (the first `limit`), and how many more. */
export function errorsShown(errors: readonly ImportError[], limit = 200): { shown: ImportError[]; more: number } {
  return { shown: errors.slice(0, limit), more: Math.max(0, errors.length - limit) };
}

// ---------------------------------------------------------------------------------------
// Progress: rows per second and time left
// ---------------------------------------------------------------------------------------

/** How far a run is, as the bar and its line show it. */
export interface ProgressReading {
  phase: string;
  done: number;
  total: number;
  /** 0..1, null while the total is unknown (reading the file). */
  fraction: number | null;
  /** Rows per second in this phase, null until it can be told. */
  perSecond: number | null;
  /** Seconds left in this phase, null until it can be told. */
  secondsLeft: number | null;
}

/** Below this, a rate is noise (one event right after another). */
const MIN_ELAPSED_MS = 300;

/**
 * Reads the `import-progress` events of one run. Each phase (read, check, write) is
 * timed from its first event: rows done since then over the time since then gives the
 * rate, the rows left over the rate the time left. `at` is the event's time in ms.
 */
export class ProgressMeter {
  private start: { phase: string; done: number; at: number } | null = null;

  reset(): void {
    this.start = null;
  }

  read(progress: ImportProgress, at: number): ProgressReading {
    if (!this.start || this.start.phase !== progress.phase || progress.done < this.start.done) {
      this.start = { phase: progress.phase, done: progress.done, at };
    }
    const { done, total, phase } = progress;
    const fraction = total > 0 ? Math.min(1, done / total) : null;
    const elapsed = at - this.start.at;
    const rows = done - this.start.done;
    const perSecond = elapsed >= MIN_ELAPSED_MS && rows > 0 ? (rows * 1000) / elapsed : null;
    const secondsLeft = perSecond && total > 0 ? Math.max(0, total - done) / perSecond : null;
    return { phase, done, total, fraction, perSecond, secondsLeft };
  }
}

/** « Lecture », « Vérification », « Écriture »; an unknown phase as it is. */
export function phaseLabel(phase: string): string {
  return tMaybe(`import.phase.${phase}`, phase);
}

/** « 12 s », « 3 min », « 1 h 05 min »: a time left, rounded up. */
export function durationText(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 60) return t('duration.seconds', { count: whole });
  const minutes = Math.ceil(whole / 60);
  if (minutes < 60) return t('duration.minutes', { count: minutes });
  return t('duration.hours', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') });
}

/** The line under the bar: « Écriture : 1 200 / 5 000 lignes · 850 lignes/s · encore environ 5 s ». */
export function progressText(reading: ProgressReading): string {
  const phase = phaseLabel(reading.phase);
  if (reading.total <= 0) return t('import.progressStarting', { phase });
  const number = new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 });
  const parts = [t('import.progress', { phase, done: number.format(reading.done), total: number.format(reading.total) })];
  if (reading.perSecond !== null) parts.push(t('import.rate', { rate: number.format(reading.perSecond) }));
  if (reading.secondsLeft !== null && reading.done < reading.total) parts.push(t('import.left', { time: durationText(reading.secondsLeft) }));
  return parts.join(' · ');
}
