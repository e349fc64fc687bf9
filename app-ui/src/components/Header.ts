//! The header, always visible: the button that hides the portfolio (given by the app),
//! connection badge, pending changes, the refused changes and the conflicts to settle (links
//! to their pages), last sync, the sync button and its progress bar, the last sync error,
//! the language switch, and the user.

import type { Status, SyncProgress, SyncReport } from '../api';
import { h, replaceChildren } from '../dom';
import { formatDateTime, formatDateTimeLong } from '../format';
import { t, tCount } from '../i18n';
import { routeToHash } from '../router';
import type { Problem } from '../generated/Problem';
import { tell } from '../problems';
import { ApiError } from '../api';

export interface HeaderActions {
  onSync: () => void;
  onLogout: () => void;
  onToggleLang: () => void;
}

export class Header {
  readonly el: HTMLElement;
  private readonly onlineBadge: HTMLElement;
  private readonly pendingBadge: HTMLElement;
  private readonly pendingCount: HTMLElement;
  private readonly pendingLabel: HTMLElement;
  private readonly rejectedBadge: HTMLAnchorElement;
  private readonly conflictsBadge: HTMLAnchorElement;
  private readonly lastSync: HTMLElement;
  private readonly syncButton: HTMLButtonElement;
  private readonly progress: HTMLProgressElement;
  private readonly syncError: HTMLElement;
  private readonly syncNotice: HTMLElement;
  private readonly userBox: HTMLElement;
  private readonly userName: HTMLElement;
  private syncing = false;
  /** An error from the last click on "Synchroniser", until the next status says better. */
  private clickError: string | null = null;
  /** `last_sync_at` when `clickError` happened: a newer sync makes the error obsolete. */
  private clickErrorSyncAt: string | null = null;
  private lastSyncAt: string | null = null;
  private noticeTimer: number | undefined;

  /** `sidebarToggle` goes first, before the app's name. */
  constructor(private readonly actions: HeaderActions, sidebarToggle: HTMLElement | null = null) {
    this.onlineBadge = h('span', { id: 'online-badge', class: 'badge badge-offline', dataset: { online: 'false' } }, t('header.offline'));
    this.pendingCount = h('span', { id: 'pending-count' }, '0');
    this.pendingLabel = h('span', {}, tCount('header.pending', 0));
    this.pendingBadge = h('span', { class: 'badge badge-pending', 'aria-live': 'polite' }, this.pendingCount, ' ', this.pendingLabel);
    this.rejectedBadge = h('a', {
      id: 'rejected-count',
      class: 'badge badge-rejected',
      href: routeToHash({ name: 'refused-changes' }),
      title: t('header.rejectedTitle'),
      hidden: true,
    });
    this.conflictsBadge = h('a', {
      id: 'conflicts-count',
      class: 'badge badge-conflicts',
      href: routeToHash({ name: 'conflicts' }),
      title: t('header.conflictsTitle'),
      'aria-live': 'polite',
      hidden: true,
    });
    this.lastSync = h('span', { id: 'last-sync', dataset: { at: '' } }, t('header.neverSynced'));
    this.syncButton = h('button', { id: 'sync-button', type: 'button', class: 'button button-light', on: { click: () => this.actions.onSync() } }, t('header.sync'));
    this.progress = h('progress', { id: 'sync-progress', max: 1, value: 0, hidden: true });
    this.syncError = h('p', { id: 'sync-error', class: 'sync-error', role: 'alert', hidden: true });
    this.syncNotice = h('span', { class: 'sync-notice', 'aria-live': 'polite' });
    this.userName = h('span', { id: 'user-name', class: 'user-name' });
    this.userBox = h(
      'div',
      { class: 'user-box', hidden: true },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }),
      this.userName,
      h('button', { id: 'logout-button', type: 'button', class: 'button button-ghost', on: { click: () => this.actions.onLogout() } }, t('header.logout')),
    );

    this.el = h(
      'header',
      { id: 'app-header', class: 'app-header' },
      h('div', { class: 'brand' }, sidebarToggle, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), t('app.title')),
      h(
        'div',
        { class: 'sync-area' },
        this.onlineBadge,
        this.pendingBadge,
        this.rejectedBadge,
        this.conflictsBadge,
        h('span', { class: 'last-sync' }, h('span', { class: 'last-sync-label' }, t('header.lastSync'), ' '), this.lastSync),
        this.syncButton,
        this.progress,
        this.syncNotice,
      ),
      h(
        'div',
        { class: 'header-right' },
        h('button', { id: 'lang-toggle', type: 'button', class: 'button button-ghost', title: t('lang.switchTitle'), on: { click: () => this.actions.onToggleLang() } }, t('lang.switch')),
        this.userBox,
      ),
      this.syncError,
    );
  }

  update(status: Status): void {
    this.onlineBadge.dataset.online = String(status.online);
    this.onlineBadge.textContent = status.online ? t('header.online') : t('header.offline');
    this.onlineBadge.className = `badge ${status.online ? 'badge-online' : 'badge-offline'}`;
    this.onlineBadge.title = status.online ? t('header.onlineTitle') : t('header.offlineTitle');

    this.pendingCount.textContent = String(status.pending);
    this.pendingLabel.textContent = tCount('header.pending', status.pending);
    this.pendingBadge.classList.toggle('has-pending', status.pending > 0);

    const rejected = status.rejected ?? 0;
    this.rejectedBadge.hidden = rejected === 0;
    this.rejectedBadge.textContent = tCount('header.rejected', rejected);

    this.lastSync.dataset.at = status.last_sync_at ?? '';
    if (status.last_sync_at) {
      this.lastSync.textContent = formatDateTime(status.last_sync_at);
      this.lastSync.title = formatDateTimeLong(status.last_sync_at);
    } else {
      this.lastSync.textContent = t('header.neverSynced');
      this.lastSync.removeAttribute('title');
    }

    this.syncing = status.syncing;
    this.syncButton.disabled = !status.logged_in || status.syncing;
    this.syncButton.textContent = status.syncing ? t('header.syncing') : t('header.sync');
    this.setProgress(status.syncing ? status.progress : null);

    // A sync that succeeded after the click makes the click's error obsolete.
    this.lastSyncAt = status.last_sync_at;
    if (this.clickError && status.last_sync_at !== this.clickErrorSyncAt) this.clickError = null;
    // Being offline is the normal case, not a failure: the badge and the pending count
    // say it; only a real refusal is shown as an error.
    const lastError = status.last_error && !isCalm(status.last_error) ? tell(status.last_error) : null;
    this.showError(lastError ?? this.clickError);

    this.userBox.hidden = !status.logged_in || !status.user;
    if (status.user) {
      this.userName.textContent = status.user.name;
      this.userName.title = status.user.email;
      const avatar = this.userBox.querySelector('.avatar');
      if (avatar) avatar.textContent = initials(status.user.name);
    }
  }

  /**
   * The open conflicts: a link to their page while there are some. `added` conflicts
   * came with the last sync: the link is highlighted (until `conflictsSeen`) and a
   * sentence says so next to the sync button.
   */
  setConflicts(count: number, added = 0): void {
    this.conflictsBadge.hidden = count === 0;
    this.conflictsBadge.textContent = tCount('header.conflicts', count);
    if (count === 0) {
      this.conflictsSeen();
    } else if (added > 0) {
      const sentence = tCount('header.newConflicts', added);
      this.conflictsBadge.classList.add('is-new');
      this.conflictsBadge.title = `${sentence} ${t('header.conflictsTitle')}`;
      this.notify(sentence);
    }
  }

  /** The user opened the conflicts page: the link is no longer highlighted. */
  conflictsSeen(): void {
    this.conflictsBadge.classList.remove('is-new');
    this.conflictsBadge.title = t('header.conflictsTitle');
  }

  /** From the `sync-progress` event, between two status polls. */
  setProgress(progress: SyncProgress | null): void {
    const visible = progress !== null && progress.total > 0 && (this.syncing || progress.done < progress.total);
    this.progress.hidden = !visible;
    if (visible && progress) {
      this.progress.max = progress.total;
      this.progress.value = progress.done;
      this.progress.title = `${progress.done} / ${progress.total}`;
    }
  }

  /** After a click on "Synchroniser" that went through. */
  showSyncReport(report: SyncReport): void {
    this.clickError = null;
    this.notify(t('header.syncReport', { ...report }));
  }

  /** A short message next to the sync button, gone after a few seconds. */
  notify(text: string): void {
    this.syncNotice.textContent = text;
    window.clearTimeout(this.noticeTimer);
    this.noticeTimer = window.setTimeout(() => (this.syncNotice.textContent = ''), 6000);
  }

  /** After a click on "Synchroniser" that did not go through: offline (or a busy
   *  server) is said calmly next to the button; a refusal is shown as an error. */
  showSyncFailure(reason: unknown): void {
    if (reason instanceof ApiError && reason.problem && isCalm(reason.problem)) {
      this.notify(tell(reason.problem));
      return;
    }
    const message = reason instanceof ApiError ? reason.message : String(reason);
    this.clickError = message;
    this.clickErrorSyncAt = this.lastSyncAt;
    this.showError(message);
  }

  private showError(message: string | null): void {
    if (message) {
      replaceChildren(this.syncError, h('strong', {}, t('header.syncErrorPrefix')), ' ', message);
      this.syncError.hidden = false;
    } else {
      this.syncError.replaceChildren();
      this.syncError.hidden = true;
    }
  }
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');
}

/** Problems that are not failures: the device is offline, or the server asks to wait. */
function isCalm(problem: Problem): boolean {
  return problem.code === 'offline' || problem.code === 'server_busy' || problem.code === 'server_busy_retry';
}
