//! The names behind the ids a record's fields hold (its account, its deal, its contacts,
//! its owner), read from this device for the fields that need them, so that a page of
//! changes shows « Boulangerie Dupont » and never an id.

import { api, type User } from '../api';
import { contractTypeLabel, type NameOf } from '../format';
import { t } from '../i18n';

type Kind = 'account' | 'deal' | 'contract' | 'contact' | 'user' | 'other';

/** The fields that hold the id of another record or of a user, and what it is. */
const REFERENCES: Record<string, Kind> = {
  account: 'account',
  parent: 'account',
  distributor: 'account',
  deal: 'deal',
  contract: 'contract',
  contact: 'contact',
  contacts: 'contact',
  owner: 'user',
  assignee: 'user',
  manager: 'user',
  activity: 'other',
  campaign: 'other',
  converted_account: 'account',
  converted_contact: 'contact',
  converted_deal: 'deal',
};

export class RecordNames {
  private constructor(
    private readonly names: Map<string, string>,
    private readonly me: User | null,
    private readonly people: Map<string, string>,
  ) {}

  /** Loads the names the `fields` (pairs of field and value) point to. `me` names the
   *  signed-in user; the others come from the directory this device keeps. */
  static async load(fields: ReadonlyArray<[field: string, value: unknown]>, me: User | null): Promise<RecordNames> {
    const kinds = new Set<Kind>();
    const contacts = new Set<string>();
    for (const [field, value] of fields) {
      const kind = REFERENCES[field];
      if (!kind) continue;
      kinds.add(kind);
      if (kind === 'contact') for (const id of idsIn(value)) contacts.add(id);
    }
    const names = new Map<string, string>();
    const accounts = new Map<string, string>();
    const loads: Array<Promise<unknown>> = [];
    if (kinds.has('account') || kinds.has('contract')) {
      loads.push(api.listAccounts().then((list) => list.forEach((account) => accounts.set(account.id, account.name))));
    }
    if (kinds.has('deal')) loads.push(api.listDeals().then((list) => list.forEach((deal) => names.set(deal.id, deal.title))));
    const people = new Map<string, string>();
    if (kinds.has('user')) loads.push(api.people().then((list) => list.forEach((p) => people.set(p.id, p.name))));
    const contracts = kinds.has('contract') ? api.listContracts() : Promise.resolve([]);
    for (const id of contacts) loads.push(api.contactView(id).then((contact) => names.set(id, contact.name)));
    // A list that cannot be read leaves its ids unnamed; the rest of the page still shows.
    await Promise.allSettled([...loads, contracts]);
    for (const [id, name] of accounts) names.set(id, name);
    for (const contract of await contracts.catch(() => [])) {
      const type = contract.contract_type ? contractTypeLabel(contract.contract_type) : t('field.contract');
      const account = accounts.get(contract.account);
      names.set(contract.id, account ? `${type} (${account})` : type);
    }
    return new RecordNames(names, me, people);
  }

  /** For `fieldValueText`: the name of the id a reference field holds. */
  readonly nameOf: NameOf = (field, id) => {
    const kind = REFERENCES[field];
    if (!kind) return null;
    switch (kind) {
      case 'user':
        return id === this.me?.id ? this.me.name : (this.people.get(id) ?? t('review.otherUser'));
      case 'other':
        return t('review.linkedRecord');
      case 'account':
        return this.names.get(id) ?? t('pipeline.unknownAccount');
      case 'deal':
        return this.names.get(id) ?? t('review.unknownDeal');
      case 'contract':
        return this.names.get(id) ?? t('review.unknownContract');
      case 'contact':
        return this.names.get(id) ?? t('review.unknownContact');
    }
  };
}

function idsIn(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}
