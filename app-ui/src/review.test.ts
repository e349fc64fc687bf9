// Unit tests of review.ts: what the refused-changes and conflicts pages say, in French —
// who wrote a value, on which device, and the text a refused change is copied as.

import { describe, expect, it, vi } from 'vitest';
import type { Refused } from './generated/Refused';
import { authorText, deviceText, nameText, refusedAsText, typedFields, typeText } from './review';

vi.stubEnv('TZ', 'Europe/Paris');
// format.ts reads the sales settings through the api module; none are needed here.
vi.mock('./api', () => ({ api: {} }));

const DEVICE = '1a2b3c4d-0000-4000-8000-00000000abcd';

/** A rep's product, refused by the server: reps may not add to the catalogue. */
function refusedProduct(): Refused {
  return {
    change: 'c0ffee',
    record_id: 'p-1',
    record_type: 'product',
    label: 'Produit refusé UI',
    problem: { code: 'may_not_create', params: { role: 'rep', type: 'product' } },
    refused_at: '2026-03-12T13:06:00Z',
    made_at: '2026-03-12T13:05:00Z',
    fields: { designation: 'Produit refusé UI', price: '99', reference: 'REFUS-UI', vat_percent: '20', pitch: null },
    on_device: false,
  };
}

describe('who wrote a value in conflict', () => {
  it('names a user, the server, or an unknown device by the start of its id', () => {
    expect(authorText({ kind: 'user', name: 'Rep UI' }, DEVICE)).toBe('Rep UI');
    expect(authorText({ kind: 'server' }, null)).toBe('le serveur');
    expect(authorText({ kind: 'unknown_device' }, DEVICE)).toBe('un appareil inconnu (1a2b3c4d)');
    expect(authorText(null, null)).toBe('auteur inconnu');
  });

  it('says « cet appareil » for this computer, and the short id for another', () => {
    expect(deviceText(DEVICE, DEVICE)).toBe('cet appareil');
    expect(deviceText(DEVICE, 'another')).toBe('appareil 1a2b3c4d');
    expect(deviceText(DEVICE, null)).toBe('appareil 1a2b3c4d');
  });
});

describe('the record a change was for', () => {
  it('names the type in French, « Fiche » when unknown', () => {
    expect(typeText('product')).toBe('Produit');
    expect(typeText('deal')).toBe('Affaire');
    expect(typeText(null)).toBe('Fiche');
  });

  it('says « Sans nom » for a record without a name', () => {
    expect(nameText('Boulangerie Dupont')).toBe('Boulangerie Dupont');
    expect(nameText(null)).toBe('Sans nom');
    expect(nameText('  ')).toBe('Sans nom');
  });
});

describe('what a refused change held', () => {
  it('labels each field in French and shows its value in words', () => {
    expect(typedFields(refusedProduct())).toEqual([
      { field: 'designation', label: 'Désignation', text: 'Produit refusé UI' },
      { field: 'price', label: 'Prix unitaire HT (€)', text: '99,00\u00a0€' },
      { field: 'reference', label: 'Référence', text: 'REFUS-UI' },
      { field: 'vat_percent', label: 'TVA', text: '20\u00a0%' },
      { field: 'pitch', label: 'Argumentaire', text: '(effacé)' },
    ]);
  });

  it('shows labels and names, never ids, for lists and linked records', () => {
    const contact: Refused = {
      ...refusedProduct(),
      record_type: 'contact',
      label: 'Jeanne Dupont',
      fields: { account: 'acc-1', name: 'Jeanne Dupont', consent_email: 'yes', owner: 'u-1' },
    };
    const nameOf = (field: string, id: string) => (field === 'account' ? `name of ${id}` : field === 'owner' ? 'Rep UI' : null);
    expect(typedFields(contact, nameOf).map(({ label, text }) => `${label}: ${text}`)).toEqual([
      'Tiers: name of acc-1',
      'Nom: Jeanne Dupont',
      'Accord e-mailing: Oui',
      'Commercial: Rep UI',
    ]);
  });

  it('is copied as a French text: the record, why and when it was refused, then each field', () => {
    expect(refusedAsText(refusedProduct())).toBe(
      [
        'Produit « Produit refusé UI »',
        'Modification refusée le 12/03/2026 14:06 : Votre rôle ne permet pas de créer cette fiche',
        '',
        'Désignation : Produit refusé UI',
        'Prix unitaire HT (€) : 99,00\u00a0€',
        'Référence : REFUS-UI',
        'TVA : 20\u00a0%',
        'Argumentaire : (effacé)',
      ].join('\n'),
    );
  });

  it('copies only the record and the reason when the fields cannot be read back', () => {
    const unreadable: Refused = { ...refusedProduct(), label: null, fields: {} };
    expect(refusedAsText(unreadable).split('\n')).toEqual([
      'Produit « Sans nom »',
      'Modification refusée le 12/03/2026 14:06 : Votre rôle ne permet pas de créer cette fiche',
    ]);
  });
});
