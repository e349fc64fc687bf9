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
import { getCurrentWebview } from '@tauri-apps/api/webview';

// ---------------------------------------------------------------------------------------
// Types sent by the backend: generated from the Rust types (`generated/`), re-exported
// here; the views below add what the core computes on top of a record.
// ---------------------------------------------------------------------------------------

import type {
  Account,
  Activity,
  AnyRecord,
  CalendarEvent,
  Campaign,
  Conflict,
  Contact,
  Contract,
  Deal,
  Lead,
  Product,
  Quote,
  Task,
  Ticket,
} from './generated/records';
import type { ContractType } from './generated/ContractType';
import type { DealType as DealTypeSetting } from './generated/DealType';
import type { Progress } from './generated/Progress';
import type { QuoteLine } from './generated/QuoteLine';
import type { QuoteTotals } from './generated/QuoteTotals';
import type { RecordType } from './generated/RecordType';
import type { Reminder } from './generated/Reminder';
import type { ReminderKind } from './generated/ReminderKind';
import type { Role } from './generated/Role';
import type { SalesSettings } from './generated/SalesSettings';
import type { SearchHit } from './generated/SearchHit';
import type { Stage } from './generated/Stage';
import type { Status } from './generated/Status';
import type { SyncReport } from './generated/SyncReport';
import type { UserInfo } from './generated/UserInfo';
import type { VatLine } from './generated/VatLine';
import type { About } from './generated/About';
import type { DeviceInfo } from './generated/DeviceInfo';
import type { AccountFilter } from './generated/AccountFilter';
import type { SavedFilter } from './generated/SavedFilter';
import type { AboutApp } from './generated/AboutApp';
import type { AccountView } from './generated/AccountView';
import type { Author } from './generated/Author';
import type { ContactView } from './generated/ContactView';
import type { ContractView } from './generated/ContractView';
import type { DealView } from './generated/DealView';
import type { Deleted } from './generated/Deleted';
import type { Erased } from './generated/Erased';
import type { HistoryEntry } from './generated/HistoryEntry';
import type { LineInput } from './generated/LineInput';
import type { Named } from './generated/Named';
import type { QuotePreview } from './generated/QuotePreview';
import type { QuoteView } from './generated/QuoteView';
import type { Reassigned } from './generated/Reassigned';
import type { Refused } from './generated/Refused';
import type { OpenConflict } from './generated/OpenConflict';
import type { ConflictValue } from './generated/ConflictValue';
import type { FieldValue } from './generated/FieldValue';
import type { Person } from './generated/Person';
import type { DuplicateCandidate } from './generated/DuplicateCandidate';
import type { DuplicatePair } from './generated/DuplicatePair';
import type { CompanyInfo } from './generated/CompanyInfo';
import type { ImportOptions } from './generated/ImportOptions';
import type { ImportPreview } from './generated/ImportPreview';
import type { ImportReport } from './generated/ImportReport';
import type { ImportProgress } from './generated/ImportProgress';
import type { ImportSummary } from './generated/ImportSummary';
import type { ImportTarget } from './generated/ImportTarget';
import type { ImportError } from './generated/ImportError';
import type { UndoReport } from './generated/UndoReport';
import type { MatchKey } from './generated/MatchKey';
import type { Mode as ImportMode } from './generated/Mode';
import type { MergeReport } from './generated/MergeReport';
import type { LeadView } from './generated/LeadView';
import type { LeadScore } from './generated/LeadScore';
import type { ScoreReason } from './generated/ScoreReason';
import type { ConvertOptions } from './generated/ConvertOptions';
import type { Converted } from './generated/Converted';
import type { TicketView } from './generated/TicketView';
import type { NewTicket } from './generated/NewTicket';
import type { CallerCard } from './generated/CallerCard';
import type { CallerAccount } from './generated/CallerAccount';
import type { CampaignPreview as CampaignPreviewOfAny } from './generated/CampaignPreview';
import type { CampaignSent } from './generated/CampaignSent';
import type { Recipient } from './generated/Recipient';
import type { MailFiled } from './generated/MailFiled';
import type { RepReport } from './generated/RepReport';
import type { TeamReport } from './generated/TeamReport';
import type { PipelineLine } from './generated/PipelineLine';
import type { CountAmount } from './generated/CountAmount';
import type { NextStep } from './generated/NextStep';
import type { MarketingWeek } from './generated/MarketingWeek';
import type { ServiceWeek } from './generated/ServiceWeek';
import type { ServiceLine } from './generated/ServiceLine';
import type { Breakdown } from './generated/Breakdown';
import type { Count } from './generated/Count';
import type { Dashboard } from './generated/Dashboard';
import type { DashboardOptions } from './generated/DashboardOptions';
import type { ForecastMonth } from './generated/ForecastMonth';
import type { WinRate } from './generated/WinRate';
import type { ActivityWeek } from './generated/ActivityWeek';
import type { Renewal } from './generated/Renewal';
import type { TopAccount } from './generated/TopAccount';

export type {
  Account,
  Activity,
  AnyRecord,
  CalendarEvent,
  Conflict,
  Contact,
  Contract,
  ContractType,
  Deal,
  DealTypeSetting,
  Product,
  Quote,
  QuoteLine,
  QuoteTotals,
  RecordType,
  Reminder,
  ReminderKind,
  Role,
  SalesSettings,
  SearchHit,
  Stage,
  Status,
  SyncReport,
  Task,
  UserInfo as User,
  VatLine,
  About,
  DeviceInfo,
  AccountFilter,
  SavedFilter,
  AboutApp,
  AccountView,
  Author,
  ContactView,
  ContractView,
  DealView,
  Deleted,
  Erased,
  HistoryEntry,
  LineInput,
  Named,
  QuotePreview,
  QuoteView,
  Reassigned,
  Refused,
  OpenConflict,
  ConflictValue,
  FieldValue,
  Person,
  DuplicateCandidate,
  DuplicatePair,
  CompanyInfo,
  ImportOptions,
  ImportPreview,
  ImportReport,
  ImportProgress,
  ImportSummary,
  ImportTarget,
  ImportError,
  UndoReport,
  MatchKey,
  ImportMode,
  MergeReport,
  Lead,
  LeadView,
  LeadScore,
  ScoreReason,
  ConvertOptions,
  Converted,
  Ticket,
  TicketView,
  NewTicket,
  CallerCard,
  CallerAccount,
  Campaign,
  CampaignSent,
  Recipient,
  MailFiled,
  RepReport,
  TeamReport,
  PipelineLine,
  CountAmount,
  NextStep,
  MarketingWeek,
  ServiceWeek,
  ServiceLine,
  Breakdown,
  Count,
  Dashboard,
  DashboardOptions,
  ForecastMonth,
  WinRate,
  ActivityWeek,
  Renewal,
  TopAccount,
};
/** Who a campaign reaches, as this device sees it, with the campaign itself. */
export type CampaignPreview = Omit<CampaignPreviewOfAny, 'campaign'> & { campaign: Campaign };
/** A draft campaign as the form sends it. */
export interface NewCampaign {
  name: string;
  /** The accounts it goes to: `key=value,key=value` (kind, city, postal_code, tag, sector, owner). */
  segment: string;
  subject: string;
  body: string;
}
/** Files dragged over the window (their paths), dropped on it, or taken away. */
export type FileDrop = { type: 'enter'; paths: string[] } | { type: 'drop'; paths: string[] } | { type: 'leave' };
export type SyncProgress = Progress;
/** A deal type's id (`simple`, `complex`, or one the company configured). */
export type DealType = Deal['deal_type'];

/** The ids of a field's fixed list. */
export type QuoteStatus = Quote['status'];
export type ContractStatus = Contract['status'];

/** The settings as the app uses them (the generated shape). */
export type StageSetting = SalesSettings['deal_types'][number]['stages'][number];

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

/** A command that takes raw bytes (a file) with its parameters in headers. */
async function callWithBytes<T>(command: string, bytes: Uint8Array, headers: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(command, bytes, { headers });
  } catch (reason) {
    throw toApiError(reason);
  }
}

/** The file's extension as the core stores it: letters and digits, at most 8. */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8) : '';
  return ext || 'bin';
}

// ---------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------

export const api = {
  status: () => call<Status>('status'),

  login: (server: string, email: string, password: string) =>
    call<UserInfo>('login', { server, email, password }),

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
  deleteRecord: (id: string, recordType: RecordType) => call<Deleted>('delete_record', { id, recordType }),

  /** Gives an account, and its records held by its current owner, to the user with e-mail `to`. */
  reassignAccount: (id: string, to: string) => call<Reassigned>('reassign_account', { id, to }),

  /** Erases a contact from the server and every device, history included (administrators, online). */
  erasePerson: (id: string) => call<Erased>('erase_person', { id }),

  // Sales: deals, contracts, catalogue, quotes.

  /** All deals, or one account's. */
  listDeals: (account?: string) => call<Deal[]>('list_deals', { account: account ?? null }),

  dealView: (id: string) => call<DealView>('deal_view', { id }),

  createDeal: (fields: Fields) => call<Deal>('create_deal', { fields }),

  /** `fields.stage` moves the deal; moving it to `won` creates its contract. */
  editDeal: (id: string, fields: Fields) => call<Deal>('edit_deal', { id, fields }),
  /** A running contract entered directly (`account` among the fields); active by default. */
  createContract: (fields: Fields) => call<ContractView>('create_contract', { fields }),
  /** Only the fields that changed; the answer carries the recomputed renewal dates. */
  editContract: (id: string, fields: Fields) => call<ContractView>('edit_contract', { id, fields }),
  /** The customer's negotiated discount (`''` removes it) and special prices (`REF=PRICE`). */
  setPricing: (id: string, discount: string | null, prices: string[], remove: string[]) =>
    call<Account>('set_pricing', { id, discount, prices, remove }),

  /** All contracts, or one account's, with `next_renewal` and `notice_deadline`. */
  listContracts: (account?: string) => call<ContractView[]>('list_contracts', { account: account ?? null }),

  contractView: (id: string) => call<ContractView>('contract_view', { id }),

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

  /** Replaces a draft quote's lines (priced again); refused once the quote left draft. */
  editQuoteLines: (id: string, lines: LineInput[]) => call<QuoteView>('edit_quote_lines', { id, lines }),

  /** All quotes, or one account's (lines as a JSON string). */
  listQuotes: (account?: string) => call<Quote[]>('list_quotes', { account: account ?? null }),

  /** `accepted` also wins the quote's deal. */
  setQuoteStatus: (id: string, status: QuoteStatus) => call<QuoteView>('set_quote_status', { id, status }),

  /** Writes the quote's PDF in the user's documents folder; returns the file's path. */
  exportQuotePdf: (id: string) => call<string>('export_quote_pdf', { id }),
  /** Opens a file the app exported (its path as answered) with the system's application. */
  openExport: (path: string) => call<null>('open_export', { path }),
  /** The portfolio filtered by criteria, by name. */
  filterAccounts: (filter: AccountFilter) => call<Account[]>('filter_accounts', { filter }),
  savedFilters: () => call<SavedFilter[]>('saved_filters'),
  saveFilter: (name: string, filter: AccountFilter) => call<SavedFilter[]>('save_filter', { name, filter }),
  deleteFilter: (name: string) => call<SavedFilter[]>('delete_filter', { name }),
  /** Attaches a photo or a video to the product `reference`, offline. */
  attachMedia: async (reference: string, file: File) =>
    callWithBytes<Product>('attach_media', new Uint8Array(await file.arrayBuffer()), {
      'x-reference': reference,
      'x-extension': extensionOf(file.name),
    }),
  /** A product's photo or video, downloaded now if needed (`events.onMediaProgress`). */
  mediaBytes: (item: string) => call<ArrayBuffer>('media_bytes', { item }),
  listDevices: () => call<DeviceInfo[]>('list_devices'),
  revokeDevice: (id: string) => call<void>('revoke_device', { id }),
  /** Ends every session of the user, this one too: the app asks to sign in again. */
  changePassword: (current: string, next: string) => call<void>('change_password', { current, new: next }),
  /** A new secret calendar address for Outlook or a phone; the previous one stops working. */
  calendarFeed: () => call<string>('calendar_feed'),
  about: () => call<AboutApp>('about'),
  contactView: (id: string) => call<ContactView>('contact_view', { id }),
  /** RGPD: everything this device holds on the person, written to a file; its path. */
  exportContactData: (id: string) => call<string>('export_contact_data', { id }),

  /** What quotes print about the company (SIRET, RCS, VAT number, payment terms, logo). */
  companyInfo: () => call<CompanyInfo>('company_info'),
  /** Changes it; `logo` (a JPEG of at most 100 KB) replaces the logo when given. */
  setCompanyInfo: async (info: CompanyInfo, logo: File | null) =>
    callWithBytes<CompanyInfo>('set_company_info', logo ? new Uint8Array(await logo.arrayBuffer()) : new Uint8Array(), {
      'x-company': encodeURIComponent(JSON.stringify(info)),
    }),

  /** Deal types with their stages, contract types: configurable per company. */
  salesSettings: () => call<SalesSettings>('sales_settings'),

  // Planning: agenda, tasks, reminders.

  /** Events starting from `from` (included) to `to` (excluded), dates YYYY-MM-DD. */
  agenda: (from: string, to: string, mine: boolean) => call<CalendarEvent[]>('agenda', { from, to, mine }),

  listTasks: (includeDone: boolean) => call<Task[]>('list_tasks', { includeDone }),

  reminders: () => call<Reminder[]>('reminders'),

  // After a sync: what the server refused, and the fields in conflict.

  /** The changes the server refused, newest first, with the reason and the fields typed. */
  refusedChanges: () => call<Refused[]>('refused_changes'),
  /** Forgets a refused change the user has dealt with (copied, redone or let go). */
  dismissRefused: (change: string) => call<boolean>('dismiss_refused', { change }),
  /** Every field in conflict, with who wrote each value, when and on which device. */
  openConflicts: () => call<OpenConflict[]>('open_conflicts'),

  /** The users this device knows (from the server's directory, kept offline), by name. */
  people: () => call<Person[]>('people'),

  // Duplicates (accounts and contacts), offline.

  /** Records likely to be the same as the account or contact being entered, best first. */
  findDuplicates: (recordType: 'account' | 'contact', fields: Fields) =>
    call<DuplicateCandidate[]>('find_duplicates', { recordType, fields }),
  /** Every pair of likely duplicates of a type on this device, best first. */
  duplicatePairs: (recordType: 'account' | 'contact') => call<DuplicatePair[]>('duplicate_pairs', { recordType }),
  /** Merges `other` into `keep`; `take` names the fields whose value comes from `other`. */
  mergeRecords: (keep: string, other: string, take: string[] = []) =>
    call<MergeReport>('merge_records', { keep, other, take }),

  // Imports (spreadsheets, vCards) and list exports, offline.

  /** Keeps a file chosen by the user for import; answers the name the other calls take. */
  importUpload: async (file: File) =>
    callWithBytes<string>('import_upload', new Uint8Array(await file.arrayBuffer()), {
      'x-file-name': encodeURIComponent(file.name),
    }),
  /** The sheets, headers, first rows and guessed mapping of a kept file. */
  importPreview: (file: string, recordType: RecordType, sheet: string | null = null) =>
    call<ImportPreview>('import_preview', { file, recordType, sheet }),
  /** Imports a kept file (`events.onImportProgress` while it runs); `dryRun` writes nothing. */
  importRun: (file: string, recordType: RecordType, options: ImportOptions) =>
    call<ImportReport>('import_run', { file, recordType, options }),
  /** Takes an import back out. */
  importUndo: (batch: string) => call<UndoReport>('import_undo', { batch }),
  /** The imports made on this device, newest first. */
  importList: () => call<ImportSummary[]>('import_list'),
  /** Imports the contacts of a kept vCard file. */
  importVcard: (file: string) => call<ImportReport>('import_vcard', { file }),
  /** Writes contacts as a vCard file in the user's documents; its path. */
  exportVcard: (ids: string[]) => call<string>('export_vcard', { ids }),
  /** Writes the records `ids` (a list as filtered) to .xlsx or .csv in the user's documents; its path. */
  exportList: (recordType: RecordType, ids: string[], format: 'xlsx' | 'csv') =>
    call<string>('export_list', { recordType, ids, format }),

  // Marketing: leads, scored by the company's rules, qualified, handed to a rep, converted.

  /** The leads on this device, best score first; of one status when given. */
  listLeads: (status?: string) => call<LeadView[]>('list_leads', { status: status || null }),
  leadView: (id: string) => call<LeadView>('lead_view', { id }),
  /** A lead entered by hand (a card from a fair, a call): new, received now. */
  addLead: (fields: Fields) => call<LeadView>('add_lead', { fields }),
  /** Qualifies a lead, handing it to the rep `rep` (e-mail or user id) when given. */
  qualifyLead: (id: string, rep?: string) => call<LeadView>('qualify_lead', { id, rep: rep || null }),
  /** Sets a lead aside, with the reason. */
  disqualifyLead: (id: string, reason?: string) => call<LeadView>('disqualify_lead', { id, reason: reason || null }),
  /** Makes the lead an account (a likely duplicate is reused), a contact and a deal;
   *  refused for the roles that may not create accounts (`lead_may_not_convert`). */
  convertLead: (id: string, options: ConvertOptions) => call<Converted>('convert_lead', { id, options }),

  // Customer service: tickets with their service clock, the incoming-call card.

  /** Breached first, then by the time due; the open ones only, the user's only, when asked. */
  listTickets: (openOnly: boolean, mine: boolean) => call<TicketView[]>('list_tickets', { openOnly, mine }),
  ticketView: (id: string) => call<TicketView>('ticket_view', { id }),
  addTicket: (ticket: NewTicket) => call<TicketView>('add_ticket', { ticket }),
  /** Moves a ticket to `status` and/or hands it to `assignee` (e-mail or user id). */
  updateTicket: (id: string, change: { status?: string; assignee?: string }) =>
    call<TicketView>('update_ticket', { id, status: change.status ?? null, assignee: change.assignee ?? null }),
  /** Who is calling: the contacts, accounts (with open tickets and contracts) and leads
   *  with this number, in whatever format it was dialled or stored. */
  incomingCall: (number: string) => call<CallerCard>('incoming_call', { number }),

  // Marketing: e-mailing campaigns, written and previewed offline, sent by the server.

  /** The campaigns on this device. */
  listCampaigns: () => call<Campaign[]>('list_campaigns'),
  /** A draft campaign; refused (`segment_invalid`, on `segment`) when a criterion cannot be read. */
  addCampaign: (campaign: NewCampaign) => call<Campaign>('add_campaign', { ...campaign }),
  /** Its recipients and those left out (no e-mail consent, no address), from this device's records. */
  campaignPreview: (id: string) => call<CampaignPreview>('campaign_preview', { id }),
  /** Has the server send it over SMTP (online only; `mail_not_configured` without a relay);
   *  those an earlier sending reached are not written to again. */
  sendCampaign: (id: string) => call<CampaignSent>('send_campaign', { id }),

  // E-mails dropped on the window.

  /** Files the .eml file at `path` in the timelines of the known contacts it is from or
   *  to (a message to the support address opens a ticket, a reply goes into its ticket);
   *  refused with `mail_no_contact` or `mail_unreadable`. */
  importMail: (path: string) => call<MailFiled>('import_mail', { path }),

  // Weekly reports and the dashboard, offline, from the records on this device.

  /** This user's week (`week` like `2026-W49`, this week in Paris when null), with what
   *  they sent about it. */
  weeklyReport: (week: string | null) => call<RepReport>('weekly_report', { week }),
  /** The week of the people who report to this user (each, then the totals). */
  teamReport: (week: string | null) => call<TeamReport>('team_report', { week }),
  /** Sends this user's week to their manager with a comment; sent again, it is updated. */
  submitReport: (week: string | null, comment: string) => call<RepReport>('submit_report', { week, comment }),
  /** Writes the week (the team's when `team`) as PDF or Excel in the user's documents; its path. */
  exportReport: (week: string | null, team: boolean, format: 'pdf' | 'xlsx') =>
    call<string>('export_report', { week, team, format }),
  /** The sales dashboard over a period (the last 90 days when both dates are null). */
  dashboard: (options: DashboardOptions) => call<Dashboard>('dashboard', { options }),
  /** Writes the dashboard's tables as an Excel workbook in the user's documents; its path. */
  exportDashboard: (options: DashboardOptions) => call<string>('export_dashboard', { options }),
};

// ---------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------

export const events = {
  onSyncProgress: (handler: (progress: SyncProgress) => void): Promise<UnlistenFn> =>
    listen<SyncProgress>('sync-progress', (event) => handler(event.payload)),

  /** A media download going on: bytes received and expected (0 when unknown). */
  onMediaProgress: (handler: (progress: { item: string; done: number; total: number }) => void): Promise<UnlistenFn> =>
    listen<{ item: string; done: number; total: number }>('media-progress', (event) => handler(event.payload)),
  /** An import or an undo going on: its phase ("read", "check", "write") and rows done. */
  onImportProgress: (handler: (progress: ImportProgress) => void): Promise<UnlistenFn> =>
    listen<ImportProgress>('import-progress', (event) => handler(event.payload)),
  onStatusChanged: (handler: (status: Status) => void): Promise<UnlistenFn> =>
    listen<Status>('status-changed', (event) => handler(event.payload)),
  /** A telephony application opened http://127.0.0.1:47863/call?number=…: the number dialled. */
  onIncomingCall: (handler: (number: string) => void): Promise<UnlistenFn> =>
    listen<string>('incoming-call', (event) => handler(event.payload)),
  /** Files dragged from the system over the window, dropped, or taken away (Tauri's
   *  drag-drop events; the moves in between are not passed on). */
  onFileDrop: (handler: (drop: FileDrop) => void): Promise<UnlistenFn> =>
    getCurrentWebview().onDragDropEvent((event) => {
      const drop = event.payload;
      if (drop.type === 'leave') handler({ type: 'leave' });
      else if (drop.type !== 'over') handler({ type: drop.type, paths: drop.paths });
    }),
};

/** Whether the page runs inside the Tauri webview (false in a plain browser on `vite dev`). */
export function insideTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
