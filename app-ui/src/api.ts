//! The only module that talks to the Rust side: one typed function per Tauri command of
//! `crm-desktop`, and the two events it emits. Components import from here and never call
//! `invoke` or `listen` themselves, so this file is the whole contract between the UI and
//! the backend.
//!
//! Every command rejects with a problem (`{code, field?, params?}`, generated from the
//! Rust core) when something goes wrong: validation errors, a wrong password, the
//! server being unreachable. `call` turns it into an `ApiError` whose `message` is the
//! sentence in the user's language and whose `field` names the field at fault.

import { invoke } from '@tauri-apps/api/core';
import type { Problem } from './generated/Problem';
import { isProblem, tell } from './problems';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

// ---------------------------------------------------------------------------------------
// Types sent by the backend
// ---------------------------------------------------------------------------------------

export type RecordType = 'account' | 'contact' | 'activity' | 'deal' | 'contract' | 'product' | 'quote' | 'event' | 'task';
export type AccountKind = 'prospect' | 'customer' | 'distributor' | 'partner' | 'supplier';
export type ActivityKind = 'visit' | 'note' | 'call' | 'email' | 'meeting';
export type Role = 'rep' | 'manager' | 'marketing' | 'support' | 'admin';
/** `simple` and `complex` by default; companies may configure others (`sales_settings`). */
export type DealType = string;
export type Priority = 'low' | 'normal' | 'high';
export type ContractType = 'on_call' | 'accounting' | 'it_services';
export type ContractStatus = 'draft' | 'active' | 'notice_given' | 'ended';
export type BillingPeriod = 'monthly' | 'quarterly' | 'yearly';
export type QuoteStatus = 'draft' | 'sent' | 'accepted' | 'refused';
export type ReminderKind = 'task' | 'contract_notice' | 'deal_overdue';
/** A yes/no field as stored: 'yes' or 'no'. */
export type YesNo = 'yes' | 'no';

/** Concurrent edits of one field: `value` is the one currently kept, `others` lost. */
export interface Conflict {
  field: string;
  value: string;
  others: string[];
}

interface RecordBase {
  id: string;
  type: RecordType;
  conflicts?: Conflict[];
}

export interface Account extends RecordBase {
  type: 'account';
  name: string;
  kind: AccountKind | string;
  siret?: string | null;
  address?: string | null;
  postal_code?: string | null;
  city?: string | null;
  country?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  sector?: string | null;
  tags?: string[] | null;
  owner?: string | null;
}

export interface Contact extends RecordBase {
  type: 'contact';
  account: string;
  name: string;
  job_title?: string | null;
  phone?: string | null;
  mobile?: string | null;
  email?: string | null;
}

export interface Activity extends RecordBase {
  type: 'activity';
  account: string;
  kind: ActivityKind | string;
  /** RFC 3339 with offset. */
  at: string;
  subject?: string | null;
  body?: string | null;
  contacts?: string[] | null;
  /** YYYY-MM-DD. */
  follow_up?: string | null;
  owner?: string | null;
}

/** A deal moving through the stages of its type. Amounts are decimal strings ("1200.50"). */
export interface Deal extends RecordBase {
  type: 'deal';
  account: string;
  title: string;
  deal_type: DealType | string;
  stage: string;
  priority?: Priority | string | null;
  amount?: string | null;
  /** Win probability in percent ("40"). */
  probability?: string | null;
  /** YYYY-MM-DD. */
  expected_close?: string | null;
  owner?: string | null;
  manager?: string | null;
  lost_reason?: string | null;
  /** The id of the contract created when the deal was won. */
  contract?: string | null;
  /** One item per move: "<RFC 3339 time> <stage id> <user id>", in no particular order. */
  stage_history?: string[] | null;
}

export interface Stage {
  id: string;
  label: string;
}

export interface StageSetting extends Stage {
  /** Default win probability at this stage, in percent. */
  probability: number;
}

/** `sales_settings`: the company's deal types (with their stages) and contract types. */
export interface SalesSettings {
  deal_types: Array<{ id: string; label: string; stages: StageSetting[] }>;
  contract_types: Array<{ id: string; label: string }>;
}

/** `deal_view`: the deal, the stages of its type in order, and its contract. */
export interface DealView extends Deal {
  stages: Stage[];
  contract_record?: Contract | null;
}

export interface Contract extends RecordBase {
  type: 'contract';
  account: string;
  deal?: string | null;
  contract_type?: ContractType | string | null;
  status: ContractStatus | string;
  /** YYYY-MM-DD. */
  start: string;
  end?: string | null;
  tacit_renewal?: YesNo | string | null;
  term_months?: string | null;
  notice_months?: string | null;
  billing_amount?: string | null;
  billing_period?: BillingPeriod | string | null;
  owner?: string | null;
  /** Computed by the backend for a tacitly renewed contract (YYYY-MM-DD). */
  next_renewal?: string | null;
  /** The last day to give notice before `next_renewal` (YYYY-MM-DD). */
  notice_deadline?: string | null;
}

export interface Product extends RecordBase {
  type: 'product';
  /** Exactly 8 characters. */
  reference: string;
  designation: string;
  /** Unit price excluding VAT, decimal string. */
  price: string;
  vat_percent?: string | null;
  pitch?: string | null;
  strengths?: string | null;
  weaknesses?: string | null;
  media?: string[] | null;
}

/** A priced quote line, as the backend computed it from the catalogue. */
export interface QuoteLine {
  reference: string;
  designation: string;
  quantity: string;
  unit_price: string;
  discount_percent: string;
  vat_percent: string;
}

export interface VatLine {
  rate_percent: string;
  base: string;
  vat: string;
}

/** Exact totals, every amount a decimal string computed by the backend. */
export interface QuoteTotals {
  /** Net amount of each line, in line order. */
  lines: string[];
  total_net: string;
  vat: VatLine[];
  total_vat: string;
  total_gross: string;
}

/** What the quote editor asks for: quantity and discount as typed (strings). */
export interface LineInput {
  reference: string;
  quantity: string;
  discount?: string | null;
}

export interface QuotePreview {
  lines: QuoteLine[];
  totals: QuoteTotals;
}

export interface Quote extends RecordBase {
  type: 'quote';
  account: string;
  number: string;
  deal?: string | null;
  status: QuoteStatus | string;
  /** The lines as a JSON string in list views. */
  lines: string;
  /** YYYY-MM-DD. */
  valid_until?: string | null;
  owner?: string | null;
}

/** `quote_view`: the quote with its lines parsed and its totals. */
export interface QuoteView extends Omit<Quote, 'lines'> {
  lines: QuoteLine[];
  totals: QuoteTotals;
}

export interface CalendarEvent extends RecordBase {
  type: 'event';
  title: string;
  /** RFC 3339 with offset. */
  start: string;
  end: string;
  account?: string | null;
  place?: string | null;
  attendees?: string[] | null;
  owner?: string | null;
  notes?: string | null;
}

export interface Task extends RecordBase {
  type: 'task';
  title: string;
  /** YYYY-MM-DD. */
  due: string;
  account?: string | null;
  assignee?: string | null;
  done?: YesNo | string | null;
  notes?: string | null;
}

/** Something to act on: a task due soon, a contract notice deadline, a late deal. */
export interface Reminder {
  kind: ReminderKind | string;
  id: string;
  title: string;
  /** YYYY-MM-DD. */
  date: string;
  account_id: string | null;
  overdue: boolean;
}

export type AnyRecord = Account | Contact | Activity | Product | CalendarEvent | Task | Contract | Deal;

/** `account_view`: the account with its contacts and its timeline (newest first). */
export interface AccountView extends Account {
  contacts: Contact[];
  timeline: Activity[];
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role | string;
}

export interface SyncProgress {
  done: number;
  total: number;
}

export interface Status {
  /**
   * The local data is encrypted and waits for the user's password (no OS keyring held its
   * key): `unlock` opens it. While locked, `logged_in` is false and the rest is empty.
   */
  locked: boolean;
  logged_in: boolean;
  user: User | null;
  server_url: string | null;
  online: boolean;
  pending: number;
  /** RFC 3339, or null if this device never synced. */
  last_sync_at: string | null;
  /** The last sync error in plain words, null after a successful sync. */
  last_error: Problem | null;
  syncing: boolean;
  progress: SyncProgress | null;
  /** Changes the server refused (kept locally with its reasons). */
  rejected?: number;
  device_id?: string;
}

export interface SearchHit {
  id: string;
  type: RecordType;
  /** The account the hit belongs to; null (or the hit itself) for an account. */
  account_id: string | null;
  label: string;
  snippet: string;
}

export interface SyncReport {
  pushed: number;
  pulled: number;
  rejected: number;
}

/** One change of a record's history (`record_history`), oldest first as sent. */
export interface HistoryEntry {
  /** RFC 3339. */
  at: string;
  /** The user's name, "server" for a change made by the server, or "device <uuid>". */
  user: string;
  device: string;
  /** The change's hash. */
  change: string;
  /** The fields it set; `null` means the field was cleared. */
  fields: Record<string, string | string[] | null>;
}

export interface DeleteResult {
  deleted: string;
  type: RecordType | string;
}

export interface ReassignResult {
  account: string;
  /** The new owner's user id. */
  owner: string;
  /** The ids of the records that changed hands, the account first. */
  moved: string[];
}

export interface EraseResult {
  erased: string;
  type: RecordType | string;
}

/** Fields sent on create or edit. On edit, `null` clears a field. */
export type Fields = Record<string, string | string[] | null>;

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/** A rejected command: the backend's problem, and its sentence in the user's language. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly problem?: Problem,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The field at fault, when the problem names one. */
  get field(): string | undefined {
    return this.problem?.field;
  }
}

function toApiError(reason: unknown): ApiError {
  if (isProblem(reason)) return new ApiError(tell(reason), reason);
  if (typeof reason === 'string') return new ApiError(reason);
  if (reason instanceof Error) return new ApiError(reason.message);
  return new ApiError(JSON.stringify(reason));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toApiError(reason);
  }
}

// ---------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------

export const api = {
  status: () => call<Status>('status'),

  login: (server: string, email: string, password: string) =>
    call<User>('login', { server, email, password }),

  logout: () => call<null>('logout'),

  /** Opens the encrypted local data with the user's password; answers the new status. */
  unlock: (password: string) => call<Status>('unlock', { password }),

  listAccounts: () => call<Account[]>('list_accounts'),

  search: (query: string) => call<SearchHit[]>('search', { query }),

  accountView: (id: string) => call<AccountView>('account_view', { id }),

  createRecord: <T extends AnyRecord = AnyRecord>(recordType: RecordType, fields: Fields) =>
    call<T>('create_record', { recordType, fields }),

  editRecord: <T extends AnyRecord = AnyRecord>(id: string, fields: Fields) =>
    call<T>('edit_record', { id, fields }),

  resolveConflict: <T extends AnyRecord = AnyRecord>(id: string, field: string, value: string) =>
    call<T>('resolve_conflict', { id, field, value }),

  syncNow: () => call<SyncReport>('sync_now'),

  // Security: history, deletion, reassignment, RGPD erasure.

  /** Who changed which field when, oldest first. */
  recordHistory: (id: string) => call<HistoryEntry[]>('record_history', { id }),

  /** Deletes a record of `recordType` on every device at their next sync; refused for reps. */
  deleteRecord: (id: string, recordType: RecordType) => call<DeleteResult>('delete_record', { id, recordType }),

  /** Gives an account, and its records held by its current owner, to the user with e-mail `to`. */
  reassignAccount: (id: string, to: string) => call<ReassignResult>('reassign_account', { id, to }),

  /** Erases a contact from the server and every device, history included (administrators, online). */
  erasePerson: (id: string) => call<EraseResult>('erase_person', { id }),

  // Sales: deals, contracts, catalogue, quotes.

  /** All deals, or one account's. */
  listDeals: (account?: string) => call<Deal[]>('list_deals', { account: account ?? null }),

  dealView: (id: string) => call<DealView>('deal_view', { id }),

  createDeal: (fields: Fields) => call<Deal>('create_deal', { fields }),

  /** `fields.stage` moves the deal; moving it to `won` creates its contract. */
  editDeal: (id: string, fields: Fields) => call<Deal>('edit_deal', { id, fields }),

  /** All contracts, or one account's, with `next_renewal` and `notice_deadline`. */
  listContracts: (account?: string) => call<Contract[]>('list_contracts', { account: account ?? null }),

  contractView: (id: string) => call<Contract>('contract_view', { id }),

  listProducts: () => call<Product[]>('list_products'),

  /**
   * Prices and totals of lines not saved yet: every amount comes from the backend, with
   * the account's pricing rules (special prices, negotiated discount) when one is given.
   */
  quotePreview: (lines: LineInput[], account: string | null = null) =>
    call<QuotePreview>('quote_preview', { account, lines }),

  createQuote: (account: string, deal: string | null, lines: LineInput[]) =>
    call<QuoteView>('create_quote', { account, deal, lines }),

  quoteView: (id: string) => call<QuoteView>('quote_view', { id }),

  /** All quotes, or one account's (lines as a JSON string). */
  listQuotes: (account?: string) => call<Quote[]>('list_quotes', { account: account ?? null }),

  /** `accepted` also wins the quote's deal. */
  setQuoteStatus: (id: string, status: QuoteStatus) => call<QuoteView>('set_quote_status', { id, status }),

  /** Writes the quote's PDF in the user's documents folder; returns the file's path. */
  exportQuotePdf: (id: string) => call<string>('export_quote_pdf', { id }),

  /** Deal types with their stages, contract types: configurable per company. */
  salesSettings: () => call<SalesSettings>('sales_settings'),

  // Planning: agenda, tasks, reminders.

  /** Events starting from `from` (included) to `to` (excluded), dates YYYY-MM-DD. */
  agenda: (from: string, to: string, mine: boolean) => call<CalendarEvent[]>('agenda', { from, to, mine }),

  listTasks: (includeDone: boolean) => call<Task[]>('list_tasks', { includeDone }),

  reminders: () => call<Reminder[]>('reminders'),
};

// ---------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------

export const events = {
  onSyncProgress: (handler: (progress: SyncProgress) => void): Promise<UnlistenFn> =>
    listen<SyncProgress>('sync-progress', (event) => handler(event.payload)),

  onStatusChanged: (handler: (status: Status) => void): Promise<UnlistenFn> =>
    listen<Status>('status-changed', (event) => handler(event.payload)),
};

/** Whether the page runs inside the Tauri webview (false in a plain browser on `vite dev`). */
export function insideTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
