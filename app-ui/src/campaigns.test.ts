// Unit tests of campaigns.ts: the segment's text read and written as crm-core reads it,
// the builder's changes to it, the segment in words, a campaign's status, the list's
// order, and the words of the preview and of a sending's report.

import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_SENT_STATUS,
  campaignStatusLabel,
  composeSegment,
  criterionValue,
  isPartlySent,
  isSent,
  kindOf,
  parseSegment,
  previewCounts,
  segmentWords,
  sendReportLines,
  sentCount,
  sortCampaigns,
  splitsCriterion,
  withCriterion,
} from './campaigns';

describe('reading a segment as the core does', () => {
  it('reads each criterion, the key in lower case, both sides trimmed', () => {
    expect(parseSegment('kind=customer, City = Lyon ,tag=VIP')).toEqual([
      { key: 'kind', value: 'customer' },
      { key: 'city', value: 'Lyon' },
      { key: 'tag', value: 'VIP' },
    ]);
  });

  it('reads nothing in an empty text: every account', () => {
    expect(parseSegment('')).toEqual([]);
    expect(parseSegment(' , ,')).toEqual([]);
  });

  it('keeps a part without « = » with an empty key, for the core to refuse by name', () => {
    expect(parseSegment('city=Lyon,Villeurbanne')).toEqual([
      { key: 'city', value: 'Lyon' },
      { key: '', value: 'Villeurbanne' },
    ]);
  });

  it('splits on the first « = » only, as the core does', () => {
    expect(parseSegment('tag=a=b')).toEqual([{ key: 'tag', value: 'a=b' }]);
  });
});

describe('writing a segment', () => {
  it('writes key=value parts separated by commas, without spaces', () => {
    expect(composeSegment([{ key: 'kind', value: 'customer' }, { key: 'city', value: ' Lyon ' }])).toBe('kind=customer,city=Lyon');
  });

  it('leaves out a criterion without a value', () => {
    expect(composeSegment([{ key: 'kind', value: '' }, { key: 'tag', value: 'vip' }])).toBe('tag=vip');
  });

  it('reads back what it wrote', () => {
    const criteria = [
      { key: 'kind', value: 'prospect' },
      { key: 'postal_code', value: '69' },
      { key: 'sector', value: 'Bâtiment' },
    ];
    expect(parseSegment(composeSegment(criteria))).toEqual(criteria);
  });
});

describe('the builder changing one criterion', () => {
  it('adds a criterion at the end', () => {
    expect(withCriterion('', 'kind', 'customer')).toBe('kind=customer');
    expect(withCriterion('kind=customer', 'city', 'Lyon')).toBe('kind=customer,city=Lyon');
  });

  it('changes a criterion where it is', () => {
    expect(withCriterion('kind=customer,city=Lyon,tag=vip', 'city', 'Villeurbanne')).toBe('kind=customer,city=Villeurbanne,tag=vip');
  });

  it('removes a criterion emptied, and every repeat of it', () => {
    expect(withCriterion('kind=customer,city=Lyon', 'city', '  ')).toBe('kind=customer');
    expect(withCriterion('city=Lyon,tag=vip,city=Paris', 'city', 'Lyon')).toBe('city=Lyon,tag=vip');
  });

  it('keeps the criteria it does not offer, typed in the text', () => {
    expect(withCriterion('owner=u-7,kind=customer', 'kind', 'partner')).toBe('owner=u-7,kind=partner');
  });

  it('fills its fields back from the text', () => {
    expect(criterionValue('kind=customer,postal_code=69', 'postal_code')).toBe('69');
    expect(criterionValue('kind=customer', 'city')).toBe('');
  });

  it('finds the account kind named in any letter case, and none for a word that is not a kind', () => {
    expect(kindOf('Customer')).toBe('customer');
    expect(kindOf('client')).toBe('');
  });

  it('notices a comma, which would make two criteria of one', () => {
    expect(splitsCriterion('Lyon, Villeurbanne')).toBe(true);
    expect(splitsCriterion('Saint-Étienne')).toBe(false);
  });
});

describe('the segment in words', () => {
  it('says « Tous les tiers » without criteria', () => {
    expect(segmentWords('')).toEqual(['Tous les tiers']);
  });

  it('names each criterion, the account kind by its label and the postal code as a start', () => {
    expect(segmentWords('kind=customer,city=Lyon,postal_code=69,tag=vip,sector=BTP')).toEqual([
      'Type de tiers : Client',
      'Ville : Lyon',
      'Code postal commençant par 69',
      'Étiquette : vip',
      'Secteur : BTP',
    ]);
  });

  it('names a rep by their name when it is known, by the id otherwise', () => {
    expect(segmentWords('owner=u-7', (id) => (id === 'u-7' ? 'Julie Martin' : null))).toEqual(['Commercial : Julie Martin']);
    expect(segmentWords('owner=u-8')).toEqual(['Commercial : u-8']);
  });

  it('says which part is not a criterion', () => {
    expect(segmentWords('colour=blue,Lyon')).toEqual(['« colour=blue » n’est pas un critère', '« Lyon » n’est pas un critère']);
  });
});

describe('a campaign’s status', () => {
  it('takes the core’s last status as the sent one', () => {
    expect(CAMPAIGN_SENT_STATUS).toBe('sent');
  });

  it('words each status by its label', () => {
    expect(campaignStatusLabel('draft')).toBe('Brouillon');
    expect(campaignStatusLabel('sending')).toBe('Envoi en cours');
    expect(campaignStatusLabel('sent')).toBe('Envoyée');
    expect(campaignStatusLabel(null)).toBe('');
  });

  it('tells a sent campaign from one an earlier sending reached in part', () => {
    expect(isSent({ status: 'sent' })).toBe(true);
    expect(isSent({ status: 'draft' })).toBe(false);
    expect(isPartlySent({ status: 'sending', sent_at: '2026-03-12T10:00:00Z' })).toBe(true);
    expect(isPartlySent({ status: 'draft', sent_at: null })).toBe(false);
    expect(isPartlySent({ status: 'sent', sent_at: '2026-03-12T10:00:00Z' })).toBe(false);
  });

  it('reads the count of e-mails sent, 0 when there is none', () => {
    expect(sentCount({ sent_count: '42' })).toBe(42);
    expect(sentCount({ sent_count: null })).toBe(0);
    expect(sentCount({ sent_count: 'beaucoup' })).toBe(0);
  });
});

describe('the order of the list', () => {
  it('shows the campaigns to send first, by name, then the last sent first', () => {
    const campaigns = [
      { name: 'Salon 2025', sent_at: '2025-10-01T09:00:00Z' },
      { name: 'Vœux', sent_at: null },
      { name: 'Printemps', sent_at: '2026-03-12T09:00:00Z' },
      { name: 'Ateliers', sent_at: null },
    ];
    expect(sortCampaigns(campaigns).map((campaign) => campaign.name)).toEqual(['Ateliers', 'Vœux', 'Printemps', 'Salon 2025']);
  });
});

describe('the words of the preview and of a sending', () => {
  it('counts the recipients in their accounts, and those left out, singular for 0 and 1 as in French', () => {
    const recipient = { contact: 'c-1', name: 'Julie Martin', email: 'julie@exemple.fr', account_name: 'Boulangerie Martin' };
    expect(previewCounts({ accounts: 12, recipients: [recipient, recipient], excluded_no_consent: 3, excluded_no_email: 1 })).toEqual({
      recipients: '2 destinataires dans 12 tiers',
      noConsent: '3 exclus sans accord e-mailing',
      noEmail: '1 sans adresse e-mail',
    });
    expect(previewCounts({ accounts: 0, recipients: [], excluded_no_consent: 0, excluded_no_email: 0 }).recipients).toBe('0 destinataire dans 0 tiers');
  });

  it('reports the e-mails sent first, and only the other counts that are not zero', () => {
    expect(sendReportLines({ sent: 42, failed: 0, already: 0, excluded_no_consent: 3, excluded_no_email: 0 })).toEqual([
      '42 e-mails envoyés',
      '3 exclus sans accord e-mailing',
    ]);
    expect(sendReportLines({ sent: 0, failed: 2, already: 40, excluded_no_consent: 0, excluded_no_email: 1 })).toEqual([
      '0 e-mail envoyé',
      '2 en échec : un nouvel envoi les retentera',
      '40 avaient déjà reçu cette campagne',
      '1 sans adresse e-mail',
    ]);
  });
});
