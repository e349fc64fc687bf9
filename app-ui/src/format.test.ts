// Unit tests of format.ts: what a French user reads for dates, amounts, quantities,
// percentages and labels (the default language), plus the English fallbacks.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  accountKindLabel,
  activityKindLabel,
  addDays,
  billingPeriodLabel,
  billingUnitLabel,
  contractStatusLabel,
  contractTypeLabel,
  dateTimeInputToRfc3339,
  dealTypeLabel,
  fieldLabel,
  fieldValueText,
  formatCalendarDate,
  formatCalendarDateLong,
  formatDateTime,
  formatDateTimeLong,
  formatMoney,
  formatPercent,
  formatQuantity,
  formatTime,
  mondayOf,
  nowForDateTimeInput,
  parseYmd,
  priorityLabel,
  quoteStatusLabel,
  reminderKindLabel,
  stageLabel,
  sumAmounts,
  todayYmd,
  toYmd,
} from './format';
import { CHOICES } from './generated/vocabulary';
import { lang, setLang } from './i18n';
import { loadSalesSettings } from './stages';

// The user's clock is in France: instants and offsets below are Paris time
// (UTC+1 in winter, UTC+2 from the last Sunday of March).
vi.stubEnv('TZ', 'Europe/Paris');

// The sales settings come from the core (`sales_settings`); here, a company's settings as
// the backend would answer them, with one stage of its own.
const stage = (id: string, label: string, probability: number) => ({ id, label, probability });
vi.mock('./api', () => ({
  api: {
    salesSettings: async () => ({
      deal_types: [
        {
          id: 'simple',
          label: 'Projet simple',
          stages: [stage('qualification', 'Qualification', 10), stage('proposal', 'Proposition', 40), stage('won', 'Gagnée', 100), stage('lost', 'Perdue', 0)],
        },
        {
          id: 'complex',
          label: 'Projet évolué',
          stages: [stage('committee', 'Comité de décision', 85), stage('won', 'Gagnée', 100), stage('lost', 'Perdue', 0)],
        },
      ],
      contract_types: [
        { id: 'on_call', label: 'Service de garde' },
        { id: 'it_services', label: 'Services informatiques' },
      ],
    }),
  },
}));
beforeAll(async () => {
  await loadSalesSettings();
});

/** U+202F, the narrow no-break space Intl puts between thousands in fr-FR. */
const NNBSP = '\u202f';
/** U+00A0, the no-break space before "€" (Intl) and before "%" (format.ts). */
const NBSP = '\u00a0';

describe('the test set-up', () => {
  it('runs in French, on Paris time', () => {
    expect(lang()).toBe('fr');
    expect(new Date(2026, 0, 15).getTimezoneOffset()).toBe(-60);
    expect(new Date(2026, 6, 15).getTimezoneOffset()).toBe(-120);
  });
});

describe('dates and times', () => {
  it('shows an instant as day/month/year and 24-hour time, in local time', () => {
    expect(formatDateTime('2026-03-14T08:05:00Z')).toBe('14/03/2026 09:05');
    expect(formatDateTime('2026-03-14T09:05:00+01:00')).toBe('14/03/2026 09:05');
  });

  it('shows an instant in summer time one hour further from UTC', () => {
    expect(formatDateTime('2026-07-01T12:30:00Z')).toBe('01/07/2026 14:30');
  });

  it('moves an evening instant from UTC to the next day in Paris', () => {
    expect(formatDateTime('2026-12-31T23:30:00Z')).toBe('01/01/2027 00:30');
  });

  it('shows unreadable instants as they are', () => {
    expect(formatDateTime('pas une date')).toBe('pas une date');
    expect(formatDateTime('')).toBe('');
    expect(formatDateTimeLong('demain')).toBe('demain');
  });

  it('writes the long form with the weekday, the month in words and "à"', () => {
    expect(formatDateTimeLong('2026-03-14T09:05:00+01:00')).toBe('samedi 14 mars 2026 à 09:05');
    expect(formatDateTimeLong('2026-08-15T16:00:00+02:00')).toBe('samedi 15 août 2026 à 16:00');
  });

  it('writes the first of the month as a plain "1" in the long form (Intl; French usage is "1er")', () => {
    expect(formatDateTimeLong('2026-03-01T10:00:00+01:00')).toBe('dimanche 1 mars 2026 à 10:00');
    expect(formatCalendarDateLong('2026-03-01')).toBe('1 mars 2026');
  });

  it('shows a calendar date as day/month/year with leading zeros', () => {
    expect(formatCalendarDate('2026-03-14')).toBe('14/03/2026');
    expect(formatCalendarDate('2026-01-05')).toBe('05/01/2026');
  });

  it('keeps a calendar date on its day whatever the time zone (no UTC midnight shift)', () => {
    vi.stubEnv('TZ', 'America/Los_Angeles');
    try {
      expect(formatCalendarDate('2026-03-14')).toBe('14/03/2026');
      expect(formatCalendarDateLong('2026-03-14')).toBe('14 mars 2026');
    } finally {
      vi.stubEnv('TZ', 'Europe/Paris');
    }
  });

  it('shows calendar dates that are not YYYY-MM-DD as they are', () => {
    expect(formatCalendarDate('14/03/2026')).toBe('14/03/2026');
    expect(formatCalendarDate('2026-3-14')).toBe('2026-3-14');
    expect(formatCalendarDate('')).toBe('');
    expect(formatCalendarDateLong('bientôt')).toBe('bientôt');
  });

  it('rolls an impossible calendar date over to the next month instead of refusing it', () => {
    expect(formatCalendarDate('2026-02-30')).toBe('02/03/2026');
  });

  it('writes the long calendar date with the month in words and no weekday', () => {
    expect(formatCalendarDateLong('2026-03-14')).toBe('14 mars 2026');
    expect(formatCalendarDateLong('2026-12-25')).toBe('25 décembre 2026');
  });

  it('shows a time as hours:minutes on 24 hours', () => {
    expect(formatTime(new Date(2026, 2, 14, 9, 5))).toBe('09:05');
    expect(formatTime(new Date(2026, 2, 14, 18, 30))).toBe('18:30');
  });
});

describe('date inputs and the backend formats', () => {
  it('fills a datetime-local input with the current local time, without seconds', () => {
    expect(nowForDateTimeInput(new Date(2026, 2, 4, 7, 3, 59))).toBe('2026-03-04T07:03');
  });

  it('sends a datetime-local value as RFC 3339 with the winter offset', () => {
    expect(dateTimeInputToRfc3339('2026-03-14T09:05')).toBe('2026-03-14T09:05:00+01:00');
  });

  it('sends a datetime-local value as RFC 3339 with the summer offset', () => {
    expect(dateTimeInputToRfc3339('2026-07-01T14:30')).toBe('2026-07-01T14:30:00+02:00');
  });

  it('refuses an empty or unreadable datetime-local value', () => {
    expect(dateTimeInputToRfc3339('')).toBeNull();
    expect(dateTimeInputToRfc3339('14/03/2026 09:05')).toBeNull();
  });

  it('shows back what the user typed once it has been sent', () => {
    const sent = dateTimeInputToRfc3339('2026-11-02T17:45');
    expect(sent).not.toBeNull();
    expect(formatDateTime(sent ?? '')).toBe('02/11/2026 17:45');
  });

  it('writes a local date as YYYY-MM-DD and reads it back at local midnight', () => {
    expect(toYmd(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    const parsed = parseYmd('2026-01-05');
    expect(parsed).not.toBeNull();
    expect(parsed?.getFullYear()).toBe(2026);
    expect(parsed?.getMonth()).toBe(0);
    expect(parsed?.getDate()).toBe(5);
    expect(parsed?.getHours()).toBe(0);
  });

  it('reads no date from empty or malformed text', () => {
    expect(parseYmd(null)).toBeNull();
    expect(parseYmd(undefined)).toBeNull();
    expect(parseYmd('')).toBeNull();
    expect(parseYmd('05/01/2026')).toBeNull();
  });

  it('gives today as YYYY-MM-DD', () => {
    expect(todayYmd()).toBe(toYmd(new Date()));
    expect(todayYmd()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('agenda arithmetic', () => {
  it('adds calendar days across a month end', () => {
    expect(toYmd(addDays(new Date(2026, 0, 30), 3))).toBe('2026-02-02');
    expect(toYmd(addDays(new Date(2026, 2, 2), -2))).toBe('2026-02-28');
  });

  it('adds whole days across the change to summer time, staying at midnight', () => {
    const sunday = addDays(new Date(2026, 2, 28), 1);
    expect(toYmd(sunday)).toBe('2026-03-29');
    expect(sunday.getHours()).toBe(0);
    const monday = addDays(new Date(2026, 2, 28), 2);
    expect(toYmd(monday)).toBe('2026-03-30');
    expect(monday.getHours()).toBe(0);
  });

  it('starts the week on Monday, also for a Sunday', () => {
    expect(toYmd(mondayOf(new Date(2026, 2, 14, 15, 0)))).toBe('2026-03-09'); // Saturday
    expect(toYmd(mondayOf(new Date(2026, 2, 15)))).toBe('2026-03-09'); // Sunday
    expect(toYmd(mondayOf(new Date(2026, 2, 16)))).toBe('2026-03-16'); // Monday
    expect(mondayOf(new Date(2026, 2, 14, 15, 0)).getHours()).toBe(0);
  });
});

describe('amounts in euros', () => {
  it('writes 1200.5 as "1 200,50 €" with a narrow no-break space between thousands', () => {
    expect(formatMoney('1200.5')).toBe(`1${NNBSP}200,50${NBSP}€`);
  });

  it('always shows two decimals with a decimal comma', () => {
    expect(formatMoney('0')).toBe(`0,00${NBSP}€`);
    expect(formatMoney('42')).toBe(`42,00${NBSP}€`);
    expect(formatMoney('380.50')).toBe(`380,50${NBSP}€`);
  });

  it('groups millions by threes', () => {
    expect(formatMoney('1234567.89')).toBe(`1${NNBSP}234${NNBSP}567,89${NBSP}€`);
  });

  it('keeps the minus sign of a negative amount', () => {
    expect(formatMoney('-1200.5')).toBe(`-1${NNBSP}200,50${NBSP}€`);
  });

  it('rounds half up on the exact decimal, not on a float (1.005 → 1,01 €)', () => {
    expect(formatMoney('1.005')).toBe(`1,01${NBSP}€`);
  });

  it('formats amounts too large for a float exactly', () => {
    expect(formatMoney('12345678901234567.89')).toBe(
      `12${NNBSP}345${NNBSP}678${NNBSP}901${NNBSP}234${NNBSP}567,89${NBSP}€`,
    );
  });

  it('accepts an amount as a French user types it', () => {
    expect(formatMoney('1200,5')).toBe(`1${NNBSP}200,50${NBSP}€`);
    expect(formatMoney('1 200,50 €')).toBe(`1${NNBSP}200,50${NBSP}€`);
    expect(formatMoney('1200.50€')).toBe(`1${NNBSP}200,50${NBSP}€`);
  });

  it('reads its own output back unchanged', () => {
    const shown = formatMoney('98765.4');
    expect(formatMoney(shown)).toBe(shown);
  });

  it('shows nothing for a missing amount', () => {
    expect(formatMoney(null)).toBe('');
    expect(formatMoney(undefined)).toBe('');
    expect(formatMoney('')).toBe('');
  });

  it('shows text that is not an amount as it is', () => {
    expect(formatMoney('à définir')).toBe('à définir');
    expect(formatMoney('1.200,50')).toBe('1.200,50');
    expect(formatMoney('12e3')).toBe('12e3');
  });
});

describe('column totals of the pipeline', () => {
  it('adds amounts exactly, in cents', () => {
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts(['1200.50', '2400.25', '0'])).toBe('3600.75');
  });

  it('reads amounts typed the French way', () => {
    expect(sumAmounts(['1 200,50', '99,5'])).toBe('1300.00');
  });

  it('skips missing and unreadable amounts, and amounts with more than two decimals', () => {
    expect(sumAmounts([null, undefined, '', 'n/a', '10', '1.005'])).toBe('10.00');
  });

  it('gives 0.00 for an empty column', () => {
    expect(sumAmounts([])).toBe('0.00');
  });

  it('handles negative totals', () => {
    expect(sumAmounts(['-150.5', '100'])).toBe('-50.50');
    expect(sumAmounts(['-0.05'])).toBe('-0.05');
  });

  it('stays exact beyond the float range', () => {
    expect(sumAmounts(['9007199254740993.01', '0.01'])).toBe('9007199254740993.02');
  });

  it('is shown in euros through formatMoney', () => {
    expect(formatMoney(sumAmounts(['1000', '200.5']))).toBe(`1${NNBSP}200,50${NBSP}€`);
  });
});

describe('quantities', () => {
  it('writes 1.5 as "1,5"', () => {
    expect(formatQuantity('1.5')).toBe('1,5');
    expect(formatQuantity(1.5)).toBe('1,5');
  });

  it('drops trailing zeros and the comma of whole quantities', () => {
    expect(formatQuantity('2.500')).toBe('2,5');
    expect(formatQuantity('3.000')).toBe('3');
    expect(formatQuantity(0)).toBe('0');
  });

  it('groups thousands with a narrow no-break space', () => {
    expect(formatQuantity('12345.5')).toBe(`12${NNBSP}345,5`);
  });

  it('keeps up to six decimals, rounded', () => {
    expect(formatQuantity('0.1234567')).toBe('0,123457');
  });

  it('accepts a decimal comma', () => {
    expect(formatQuantity('0,75')).toBe('0,75');
  });

  it('shows nothing for a missing quantity and unreadable text as it is', () => {
    expect(formatQuantity(null)).toBe('');
    expect(formatQuantity(undefined)).toBe('');
    expect(formatQuantity('')).toBe('');
    expect(formatQuantity('deux')).toBe('deux');
  });
});

describe('percentages', () => {
  it('writes 5.5 as "5,5 %" with a no-break space before the sign', () => {
    expect(formatPercent('5.5')).toBe(`5,5${NBSP}%`);
    expect(formatPercent(5.5)).toBe(`5,5${NBSP}%`);
  });

  it('writes VAT rates without useless decimals', () => {
    expect(formatPercent('20')).toBe(`20${NBSP}%`);
    expect(formatPercent('20.00')).toBe(`20${NBSP}%`);
    expect(formatPercent('2.10')).toBe(`2,1${NBSP}%`);
    expect(formatPercent(0)).toBe(`0${NBSP}%`);
  });

  it('accepts a decimal comma', () => {
    expect(formatPercent('12,5')).toBe(`12,5${NBSP}%`);
  });

  it('shows nothing for a missing rate and unreadable text as it is', () => {
    expect(formatPercent(null)).toBe('');
    expect(formatPercent(undefined)).toBe('');
    expect(formatPercent('')).toBe('');
    expect(formatPercent('beaucoup')).toBe('beaucoup');
  });
});

describe('labels in French', () => {
  it('names account kinds', () => {
    expect(accountKindLabel('customer')).toBe('Client');
    expect(accountKindLabel('prospect')).toBe('Prospect');
    expect(accountKindLabel('supplier')).toBe('Fournisseur');
  });

  it('names activity kinds', () => {
    expect(activityKindLabel('visit')).toBe('Compte rendu de visite');
    expect(activityKindLabel('call')).toBe('Appel');
    expect(activityKindLabel('meeting')).toBe('Rendez-vous');
  });

  it('names record fields', () => {
    expect(fieldLabel('name')).toBe('Raison sociale');
    expect(fieldLabel('city')).toBe('Ville');
  });

  it("names a field in the words of the record's type when they differ", () => {
    expect(fieldLabel('name', 'account')).toBe('Raison sociale');
    expect(fieldLabel('name', 'contact')).toBe('Nom');
    expect(fieldLabel('owner', 'event')).toBe('Organisateur');
    expect(fieldLabel('city', 'contact')).toBe('Ville');
    expect(fieldLabel('custom_field', 'deal')).toBe('custom_field');
  });

  it('names the stages from the sales settings the core sent', () => {
    expect(stageLabel('qualification')).toBe('Qualification');
    expect(stageLabel('proposal')).toBe('Proposition');
    expect(stageLabel('committee')).toBe('Comité de décision');
    expect(stageLabel('won')).toBe('Gagnée');
    expect(stageLabel('lost')).toBe('Perdue');
  });

  it("uses the backend's label for a stage the settings do not know", () => {
    expect(stageLabel('audit', 'Audit sur site')).toBe('Audit sur site');
    expect(stageLabel('audit')).toBe('audit');
  });

  it('names deal types and contract types from the sales settings', () => {
    expect(dealTypeLabel('simple')).toBe('Projet simple');
    expect(dealTypeLabel('complex')).toBe('Projet évolué');
    expect(contractTypeLabel('on_call')).toBe('Service de garde');
    expect(contractTypeLabel('it_services')).toBe('Services informatiques');
  });

  it('names priorities, contract and quote statuses', () => {
    expect(priorityLabel('high')).toBe('Haute');
    expect(priorityLabel('low')).toBe('Basse');
    expect(contractStatusLabel('notice_given')).toBe('Préavis donné');
    expect(contractStatusLabel('ended')).toBe('Terminé');
    expect(quoteStatusLabel('sent')).toBe('Envoyé');
    expect(quoteStatusLabel('refused')).toBe('Refusé');
  });

  it('names billing periods and their units, as in "380,00 € / mois"', () => {
    expect(billingPeriodLabel('monthly')).toBe('Mensuelle');
    expect(billingPeriodLabel('yearly')).toBe('Annuelle');
    expect(billingUnitLabel('monthly')).toBe('mois');
    expect(billingUnitLabel('quarterly')).toBe('trimestre');
    expect(`${formatMoney('380')} / ${billingUnitLabel('monthly')}`).toBe(`380,00${NBSP}€ / mois`);
  });

  it('names reminder kinds', () => {
    expect(reminderKindLabel('task')).toBe('Tâche');
    expect(reminderKindLabel('contract_notice')).toBe('Préavis de contrat');
    expect(reminderKindLabel('deal_overdue')).toBe('Affaire en retard');
  });

  it('shows unknown values as they are', () => {
    expect(accountKindLabel('reseller')).toBe('reseller');
    expect(activityKindLabel('sms')).toBe('sms');
    expect(fieldLabel('custom_field')).toBe('custom_field');
    expect(dealTypeLabel('framework')).toBe('framework');
    expect(contractTypeLabel('cleaning')).toBe('cleaning');
    expect(priorityLabel('urgent')).toBe('urgent');
    expect(quoteStatusLabel('archived')).toBe('archived');
  });

  it('shows nothing for a missing value', () => {
    for (const label of [
      accountKindLabel,
      activityKindLabel,
      stageLabel,
      dealTypeLabel,
      priorityLabel,
      contractTypeLabel,
      contractStatusLabel,
      billingPeriodLabel,
      billingUnitLabel,
      quoteStatusLabel,
      reminderKindLabel,
    ]) {
      expect(label(null)).toBe('');
      expect(label(undefined)).toBe('');
      expect(label('')).toBe('');
    }
  });
});

describe("a field's value in words", () => {
  it("gives the values of the record type's lists their labels", () => {
    expect(fieldValueText('kind', 'customer', { type: 'account' })).toBe('Client');
    expect(fieldValueText('status', 'notice_given', { type: 'contract' })).toBe('Préavis donné');
    expect(fieldValueText('kind', 'visit', { type: 'activity' })).toBe('Compte rendu de visite');
    expect(fieldValueText('kind', 'reseller', { type: 'account' })).toBe('reseller');
  });

  it('names stages, deal and contract types from the settings, and yes or no', () => {
    expect(fieldValueText('stage', 'proposal')).toBe('Proposition');
    expect(fieldValueText('deal_type', 'complex')).toBe('Projet évolué');
    expect(fieldValueText('contract_type', 'on_call')).toBe('Service de garde');
    expect(fieldValueText('tacit_renewal', 'yes')).toBe('Oui');
    expect(fieldValueText('done', 'no')).toBe('Non');
  });

  it('writes amounts, percentages, durations and dates the French way', () => {
    expect(fieldValueText('amount', '1200.5')).toBe(`1${NNBSP}200,50${NBSP}€`);
    expect(fieldValueText('probability', '60')).toBe(`60${NBSP}%`);
    expect(fieldValueText('term_months', '12')).toBe('12 mois');
    expect(fieldValueText('expected_close', '2026-03-12')).toBe('12/03/2026');
    expect(fieldValueText('at', '2026-03-12T13:05:00Z')).toBe('12/03/2026 14:05');
  });

  it('spells out quote lines, negotiated prices, stage moves and media', () => {
    const lines = JSON.stringify([
      { reference: 'GARDE-01', designation: 'Borne de garde', quantity: '2', unit_price: '1250.00', discount_percent: '0', vat_percent: '20' },
    ]);
    expect(fieldValueText('lines', lines)).toBe('2 × Borne de garde (GARDE-01)');
    expect(fieldValueText('price_list', '{"GARDE-01": "1100.00"}')).toBe(`GARDE-01 : 1${NNBSP}100,00${NBSP}€`);
    expect(fieldValueText('stage_history', ['2026-03-12T13:05:00Z proposal u-1'])).toBe('12/03/2026 14:05 Proposition');
    expect(fieldValueText('media', ['m-1', 'm-2'])).toBe('2 photo(s) ou vidéo(s)');
    expect(fieldValueText('lines', 'not json')).toBe('not json');
  });

  it("spells out a ticket's status moves with the core's words, in Paris time", () => {
    const [first, second] = CHOICES['ticket.status']!;
    expect(fieldValueText('status_history', [`2026-03-12T13:05:00Z|${first!.id}`, `2026-03-12T14:00:00Z|${second!.id}`], { type: 'ticket' })).toBe(
      `12/03/2026 14:05 ${first!.fr}, 12/03/2026 15:00 ${second!.fr}`,
    );
    expect(fieldValueText('status_history', ['illisible'], { type: 'ticket' })).toBe('illisible');
  });

  it('names linked records and people through the names it is given', () => {
    const nameOf = (field: string, id: string) => (field === 'account' ? `Tiers ${id}` : null);
    expect(fieldValueText('account', 'acc-1', { nameOf })).toBe('Tiers acc-1');
    expect(fieldValueText('contacts', ['c-1'], { nameOf: (_field, id) => `Contact ${id}` })).toBe('Contact c-1');
    expect(fieldValueText('city', 'Lyon', { nameOf })).toBe('Lyon');
  });

  it('says « (vide) » for an empty value and nothing for a cleared one', () => {
    expect(fieldValueText('city', '')).toBe('(vide)');
    expect(fieldValueText('tags', [])).toBe('(vide)');
    expect(fieldValueText('tags', ['vip', 'lyon'])).toBe('vip, lyon');
    expect(fieldValueText('city', null)).toBe('');
  });
});

describe('in English', () => {
  beforeAll(() => {
    // setLang writes <html lang>; there is no DOM under Node.
    vi.stubGlobal('document', { documentElement: { lang: 'fr' } });
    setLang('en');
  });

  afterAll(() => {
    setLang('fr');
    vi.unstubAllGlobals();
  });

  it('translates the default ids instead of the French settings labels', () => {
    expect(stageLabel('proposal')).toBe('Proposal');
    expect(dealTypeLabel('complex')).toBe('Advanced project');
    expect(contractTypeLabel('on_call')).toBe('On-call service');
    expect(accountKindLabel('customer')).toBe('Customer');
  });

  it("keeps the backend's label for an unknown stage", () => {
    expect(stageLabel('audit', 'Site audit')).toBe('Site audit');
  });

  it('writes amounts and dates the British way', () => {
    expect(formatMoney('1200.5')).toBe('€1,200.50');
    expect(formatCalendarDate('2026-03-14')).toBe('14/03/2026');
    expect(formatQuantity('1.5')).toBe('1.5');
  });
});

describe('formatPhone', () => {
  it('writes a French number stored in E.164 the French way, and leaves others as stored', async () => {
    const { formatPhone } = await import('./format');
    expect(formatPhone('+33478000000')).toBe('04 78 00 00 00');
    expect(formatPhone('+33612345678')).toBe('06 12 34 56 78');
    expect(formatPhone('04 78 00 00 00')).toBe('04 78 00 00 00');
    expect(formatPhone('+4930123456')).toBe('+4930123456');
  });
});
