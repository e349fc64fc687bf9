//! The only module that talks to the Rust side: one typed function per Tauri command of
//! `crm-desktop`, and the two events it emits. Components import from here and never call
//! `invoke` or `listen` themselves, so this file is the whole contract between the UI and
//! the backend.
//!
//! Every command rejects with a plain-language message (a string) when something goes
//! wrong: validation errors, a wrong password, the server being unreachable. `call`
//! normalises the rejection to an `ApiError` whose `message` can be shown as is.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

// ---------------------------------------------------------------------------------------
// Types sent by the backend
// ---------------------------------------------------------------------------------------

export type RecordType = 'account' | 'contact' | 'activity';
export type AccountKind = 'prospect' | 'customer' | 'distributor' | 'partner' | 'supplier';
export type ActivityKind = 'visit' | 'note' | 'call' | 'email' | 'meeting';
export type Role = 'rep' | 'manager' | 'marketing' | 'support' | 'admin';

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

export type AnyRecord = Account | Contact | Activity;

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
  logged_in: boolean;
  user: User | null;
  server_url: string | null;
  online: boolean;
  pending: number;
  /** RFC 3339, or null if this device never synced. */
  last_sync_at: string | null;
  /** The last sync error in plain words, null after a successful sync. */
  last_error: string | null;
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

/** Fields sent on create or edit. On edit, `null` clears a field. */
export type Fields = Record<string, string | string[] | null>;

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/** A rejected command. `message` is written for the user by the backend. */
export class ApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

function toApiError(reason: unknown): ApiError {
  if (typeof reason === 'string') return new ApiError(reason);
  if (reason instanceof Error) return new ApiError(reason.message);
  if (reason && typeof reason === 'object' && 'message' in reason) {
    return new ApiError(String((reason as { message: unknown }).message));
  }
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
