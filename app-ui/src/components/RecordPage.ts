//! The frame of a record's page (a deal, a contract): a "← list" link, a header with the
//! title, subtitle and one action button, the error line, then the body. Also the message
//! every record page shows when its record cannot be loaded, and the reloading of a
//! record page after every sync.

import { api, type Person } from '../api';
import { h, type Child } from '../dom';
import { t, type MessageKey } from '../i18n';
import { Reloader } from '../reload';
import { routeToHash, type Route } from '../router';
import { messageOf, type FormError } from './FormField';
import type { HistoryPanel } from './HistoryPanel';

/**
 * Why a record page could not load its record. A record missing from this device (never
 * synced here, deleted, or in a colleague's portfolio: the backend says "… on this
 * device") gets one plain sentence instead of the raw error; other failures show the
 * backend's message inside `key` ("Ce devis est introuvable : {message}").
 */
export function loadFailureMessage(reason: unknown, key: MessageKey): string {
  const message = messageOf(reason);
  if (isNotOnDevice(message)) return t('record.notOnDevice');
  return t(key, { message });
}

/** Whether the backend said the record is not on this device (not an offline message). */
export function isNotOnDevice(message: string): boolean {
  return message.includes('on this device') && !/cannot reach/i.test(message);
}

/** The "← <label>" link back to `route`. */
export function backLink(route: Route, label: string): HTMLElement {
  return h('a', { class: 'back-link', href: routeToHash(route) }, '← ', label);
}

export function recordPage(parts: {
  id: string;
  recordId: string;
  back: Route;
  backLabel: string;
  header: [title: HTMLElement, subtitle: HTMLElement, action: HTMLElement];
  error: HTMLElement;
  body: HTMLElement;
}): HTMLElement {
  const [title, subtitle, action] = parts.header;
  return h(
    'section',
    { id: parts.id, class: 'page', dataset: { id: parts.recordId } },
    backLink(parts.back, parts.backLabel),
    h('div', { class: 'page-header' }, h('div', {}, title, subtitle), action),
    parts.error,
    parts.body,
  );
}

/** A card of a record's page: a header with the `title` (and `extra`, a button or a
 *  badge, after it), then `body`. With `titleId`, the title labels the section. */
export function titledCard(head: { title: string; id?: string; titleId?: string; extra?: Child; hidden?: boolean }, ...body: Child[]): HTMLElement {
  return h(
    'section',
    { id: head.id, class: 'card', 'aria-labelledby': head.titleId, hidden: head.hidden },
    h('div', { class: 'card-header' }, h('h2', { id: head.titleId }, head.title), head.extra),
    ...body,
  );
}

/** Fetches a record together with the directory of people, which is only for names: when
 *  it cannot be read, the record is shown without them. */
export function withPeople<T>(record: Promise<T>): Promise<[T, Person[]]> {
  return Promise.all([record, api.people().catch((): Person[] => [])]);
}

/**
 * The reloading of a record page after every sync: the pending changes are reloaded, then
 * the record; the page is redrawn (and its error line cleared) only if what was loaded
 * changed, or if forced. A failure shows `notFound` (see `loadFailureMessage`).
 */
export class RecordLoader {
  private readonly reloader: Reloader;

  constructor(
    private readonly error: FormError,
    notFound: MessageKey,
    private readonly changes: HistoryPanel,
  ) {
    this.reloader = new Reloader((reason) => error.show(loadFailureMessage(reason, notFound)));
  }

  /** Runs `load`, and passes what it found to `show` when it is the newest and new (or `force`). */
  async reload<T>(force: boolean, load: () => Promise<T>, show: (loaded: T) => void): Promise<void> {
    void this.changes.refresh();
    await this.reloader.run(force, async () => {
      const loaded = await load();
      return {
        shown: loaded,
        show: () => {
          this.error.clear();
          show(loaded);
        },
      };
    });
  }
}
