// Unit tests of importWizard.ts: the types and match keys the wizard offers, each
// column's choices and the mapping sent back, the rows per second and time left under
// the progress bar, the first refused rows shown, and the words of an undo, in French.

import { describe, expect, it } from 'vitest';
import type { ImportPreview } from './api';
import {
  defaultMatchKey,
  durationText,
  errorsShown,
  importTypeLabel,
  isVcard,
  keptFileName,
  mappingOption,
  mappingRows,
  matchKeyLabel,
  matchKeysFor,
  phaseLabel,
  ProgressMeter,
  progressText,
  targetOptions,
  undoText,
} from './importWizard';

/** A CSV of accounts as the core previews it: four columns, the third not guessed. */
function preview(): ImportPreview {
  return {
    file: '/data/imports/0123456789abcdef0123456789abcdef-clients.csv',
    sheets: [],
    sheet: null,
    headers: ['Raison sociale', 'SIRET', 'Remarque', 'Code postal'],
    mapping: ['name', 'siret', null, 'postal_code'],
    rows: [['Café des Sports', '73282932000074', 'à rappeler', '69003']],
    total_rows: 3,
    targets: [
      { id: 'name', label: 'raison sociale' },
      { id: 'siret', label: 'SIRET' },
      { id: 'postal_code', label: 'code postal' },
      { id: 'external_id', label: 'identifiant externe' },
      { id: 'owner_email', label: 'e-mail du commercial' },
    ],
    default_match: 'siret',
  };
}

describe('what the wizard imports', () => {
  it('names the types as a French user does', () => {
    expect(importTypeLabel('account')).toBe('Comptes');
    expect(importTypeLabel('activity')).toBe('Activités passées');
  });

  it('offers the match keys that identify each type, « Automatique » where the core decides', () => {
    expect(matchKeysFor('account')).toEqual(['external_id', 'siret', 'name_postal']);
    expect(matchKeysFor('contact')).toEqual(['external_id', 'email', 'name_postal']);
    expect(matchKeysFor('product')).toEqual([null, 'external_id']);
    expect(matchKeyLabel('name_postal')).toBe('Nom + code postal');
    expect(matchKeyLabel(null)).toBe('Automatique');
  });

  it("starts from the core's key, or the first one the type offers", () => {
    expect(defaultMatchKey('account', 'siret')).toBe('siret');
    expect(defaultMatchKey('contact', 'email')).toBe('email');
    expect(defaultMatchKey('contract', null)).toBeNull();
    // A key that does not identify this type is not kept.
    expect(defaultMatchKey('account', 'email')).toBe('external_id');
  });
});

describe('the columns of the file', () => {
  it('lists each header with the field the core guessed, none for an unknown one', () => {
    expect(mappingRows(preview())).toEqual([
      { header: 'Raison sociale', target: 'name' },
      { header: 'SIRET', target: 'siret' },
      { header: 'Remarque', target: '' },
      { header: 'Code postal', target: 'postal_code' },
    ]);
  });

  it('offers « ne pas importer » first, then every target by its label, never its id', () => {
    const options = targetOptions(preview().targets, 'account');
    expect(options[0]).toEqual({ value: '', label: '— ne pas importer —' });
    expect(options.map((o) => o.value)).toEqual(['', 'name', 'siret', 'postal_code', 'external_id', 'owner_email']);
    // The app's own words where it has them, else the core's with a capital.
    expect(options.find((o) => o.value === 'name')?.label).toBe('Raison sociale');
    expect(options.find((o) => o.value === 'postal_code')?.label).toBe('Code postal');
    expect(options.find((o) => o.value === 'owner_email')?.label).toBe('E-mail du commercial');
    for (const option of options) expect(option.label).not.toMatch(/_/);
  });

  it('uses a contact’s own words for a field both types have', () => {
    const options = targetOptions([{ id: 'name', label: 'nom' }], 'contact');
    expect(options[1]?.label).toBe('Nom');
  });

  it('sends every header back, a column left out as null', () => {
    const rows = mappingRows(preview()).map((row) => (row.header === 'SIRET' ? { ...row, target: '' } : row));
    expect(mappingOption(rows)).toEqual({ 'Raison sociale': 'name', SIRET: null, Remarque: null, 'Code postal': 'postal_code' });
  });
});

describe('the file chosen', () => {
  it('is named as the user chose it, without the prefix the app keeps it under', () => {
    expect(keptFileName('0123456789abcdef0123456789abcdef-clients 2026.csv')).toBe('clients 2026.csv');
    expect(keptFileName('clients.csv')).toBe('clients.csv');
  });

  it('is a vCard by its extension, in any case', () => {
    expect(isVcard('contacts.vcf')).toBe(true);
    expect(isVcard('Carnet.VCF')).toBe(true);
    expect(isVcard('contacts.csv')).toBe(false);
    expect(isVcard('vcf.xlsx')).toBe(false);
  });
});

describe('the refused rows shown', () => {
  const errors = Array.from({ length: 205 }, (_, i) => ({ row: i + 2, column: 'SIRET', message: 'clé de contrôle' }));

  it('are the first 200, with the number of the others', () => {
    const { shown, more } = errorsShown(errors);
    expect(shown).toHaveLength(200);
    expect(shown[0]?.row).toBe(2);
    expect(more).toBe(5);
  });

  it('are all of them when there are few', () => {
    expect(errorsShown(errors.slice(0, 3))).toEqual({ shown: errors.slice(0, 3), more: 0 });
  });
});

describe('the progress of a run', () => {
  it('names the phases in French', () => {
    expect(phaseLabel('read')).toBe('Lecture');
    expect(phaseLabel('check')).toBe('Vérification');
    expect(phaseLabel('write')).toBe('Écriture');
    expect(phaseLabel('other')).toBe('other');
  });

  it('tells no rate before some time has passed, and no fraction while the total is unknown', () => {
    const meter = new ProgressMeter();
    const reading = meter.read({ phase: 'read', done: 0, total: 0 }, 1000);
    expect(reading).toEqual({ phase: 'read', done: 0, total: 0, fraction: null, perSecond: null, secondsLeft: null });
    expect(progressText(reading)).toBe('Lecture…');
  });

  it('computes rows per second and the time left from the start of the phase', () => {
    const meter = new ProgressMeter();
    meter.read({ phase: 'write', done: 0, total: 10000 }, 10_000);
    const reading = meter.read({ phase: 'write', done: 2000, total: 10000 }, 12_000);
    expect(reading.fraction).toBeCloseTo(0.2);
    expect(reading.perSecond).toBeCloseTo(1000);
    expect(reading.secondsLeft).toBeCloseTo(8);
    expect(progressText(reading).replace(/\s/g, ' ')).toBe('Écriture : 2 000 / 10 000 lignes · 1 000 lignes/s · encore environ 8 s');
  });

  it('times each phase from its own start', () => {
    const meter = new ProgressMeter();
    meter.read({ phase: 'check', done: 0, total: 100 }, 0);
    meter.read({ phase: 'check', done: 100, total: 100 }, 60_000);
    meter.read({ phase: 'write', done: 0, total: 100 }, 60_000);
    const reading = meter.read({ phase: 'write', done: 50, total: 100 }, 61_000);
    expect(reading.perSecond).toBeCloseTo(50);
    expect(reading.secondsLeft).toBeCloseTo(1);
  });

  it('says nothing of the time left once the phase is done', () => {
    const meter = new ProgressMeter();
    meter.read({ phase: 'check', done: 0, total: 100 }, 0);
    const reading = meter.read({ phase: 'check', done: 100, total: 100 }, 1000);
    expect(progressText(reading).replace(/\s/g, ' ')).toBe('Vérification : 100 / 100 lignes · 100 lignes/s');
  });

  it('starts again when a new run counts from zero', () => {
    const meter = new ProgressMeter();
    meter.read({ phase: 'write', done: 0, total: 10 }, 0);
    meter.read({ phase: 'write', done: 10, total: 10 }, 1000);
    const again = meter.read({ phase: 'write', done: 0, total: 10 }, 5000);
    expect(again.perSecond).toBeNull();
  });

  it('writes the time left in seconds, minutes, then hours, rounded up', () => {
    expect(durationText(0.2)).toBe('1 s');
    expect(durationText(42.1)).toBe('43 s');
    expect(durationText(61)).toBe('2 min');
    expect(durationText(3599)).toBe('1 h 00 min');
    expect(durationText(3600 + 5 * 60)).toBe('1 h 05 min');
  });
});

describe('an undo', () => {
  it('says what it removed, restored and kept, in French', () => {
    expect(undoText({ removed: 2, restored: 0, kept: 0 })).toBe(
      'Import annulé : 2 fiches supprimées, 0 fiche remise comme avant, 0 champ gardé car modifié depuis.',
    );
    expect(undoText({ removed: 1, restored: 3, kept: 2 })).toBe(
      'Import annulé : 1 fiche supprimée, 3 fiches remises comme avant, 2 champs gardés car modifiés depuis.',
    );
  });
});
