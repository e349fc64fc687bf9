// Unit tests of droppedMail.ts: which dropped files are e-mails, their names, and the line
// that tells what became of each.

import { describe, expect, it } from 'vitest';
import type { Activity, MailFiled, Ticket } from './api';
import { emlPaths, fileName, filedLine } from './droppedMail';

function filed(change: Partial<MailFiled> = {}): MailFiled {
  const activity = { id: 'a-1', type: 'activity' } as Activity;
  return { message_id: '<m-1@exemple.fr>', subject: 'Devis chaudière', already: false, activities: [activity, activity], ticket: null, ticket_opened: false, ...change };
}

describe('the dropped files that are e-mails', () => {
  it('keeps the .eml files, whatever the letter case and the system, in their order', () => {
    expect(emlPaths(['/home/julie/Devis.eml', 'C:\\Users\\julie\\Réponse.EML', '/tmp/photo.jpg'])).toEqual(['/home/julie/Devis.eml', 'C:\\Users\\julie\\Réponse.EML']);
  });

  it('leaves the other files to the pages that take them', () => {
    expect(emlPaths(['/tmp/clients.xlsx', '/tmp/carte.vcf', '/tmp/message.eml.txt', '/tmp/eml', '/tmp/apple.emlx'])).toEqual([]);
    expect(emlPaths([])).toEqual([]);
  });

  it('names a file without its folder', () => {
    expect(fileName('/home/julie/Devis.eml')).toBe('Devis.eml');
    expect(fileName('C:\\Users\\julie\\Réponse.eml')).toBe('Réponse.eml');
    expect(fileName('Seul.eml')).toBe('Seul.eml');
  });
});

describe('the line of a filed e-mail', () => {
  it('says where it was filed', () => {
    expect(filedLine(filed())).toEqual({ text: '« Devis chaudière » enregistré chez 2 tiers', ticket: null });
    expect(filedLine(filed({ activities: [{ id: 'a-1', type: 'activity' } as Activity] })).text).toBe('« Devis chaudière » enregistré chez 1 tiers');
  });

  it('links the ticket it opened, or the one the reply went into', () => {
    const ticket = { id: 't-9', type: 'ticket' } as Ticket;
    expect(filedLine(filed({ ticket, ticket_opened: true })).ticket).toEqual({ id: 't-9', label: 'ticket ouvert' });
    expect(filedLine(filed({ ticket, ticket_opened: false })).ticket).toEqual({ id: 't-9', label: 'ajouté au ticket' });
  });

  it('says when it was filed before', () => {
    expect(filedLine(filed({ already: true }))).toEqual({ text: '« Devis chaudière » déjà enregistré', ticket: null });
  });

  it('names a message without a subject', () => {
    expect(filedLine(filed({ subject: '  ' })).text).toBe('« (sans objet) » enregistré chez 2 tiers');
  });
});
