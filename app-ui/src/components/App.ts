//! The root component. It owns the status (polled every 2 s and pushed by the
//! `status-changed` event), shows the unlock screen while the local data is locked, then
//! the sign-in screen or the workspace, routes the main area, and refreshes the data when
//! a sync brought something new. The workspace comes with a skip link past the portfolio
//! and the header's button that hides the portfolio. It counts the open conflicts after
//! every sync, so the header says when a sync created some. A telephony application
//! announcing a call (`incoming-call`) opens the caller's card; marketing lands on the
//! lead inbox, customer service on the ticket queue and a sales manager on the team's
//! week (`homeRoute`). E-mails (`.eml`)
//! dropped anywhere on the workspace are filed with their contacts (`MailDrop`); other
//! dropped files are left alone.

import { api, ApiError, events, insideTauri, type FileDrop, type Status } from '../api';
import { emlPaths } from '../droppedMail';
import { h, replaceChildren } from '../dom';
import { lang, setLang, t } from '../i18n';
import { clearRecentAccounts } from '../recentAccounts';
import { homeRoute, sectionOf } from '../navigation';
import { navigate, parseRoute, routeToHash } from '../router';
import { AccountForm } from './AccountForm';
import { AccountPage } from './AccountPage';
import { AgendaPage } from './AgendaPage';
import { CallPage } from './CallPage';
import { CampaignPage } from './CampaignPage';
import { CampaignsPage } from './CampaignsPage';
import { CataloguePage } from './CataloguePage';
import { setUser } from '../session';
import { ContactPage } from './ContactPage';
import { MyAccountPage } from './MyAccountPage';
import { ProductPage } from './ProductPage';
import { ContractPage } from './ContractPage';
import { ContractsPage } from './ContractsPage';
import { ConflictsPage } from './ConflictsPage';
import { DashboardPage } from './DashboardPage';
import { DealPage } from './DealPage';
import { DuplicatesPage } from './DuplicatesPage';
import { Header } from './Header';
import { HomePage } from './HomePage';
import { ImportPage } from './ImportPage';
import { LeadPage } from './LeadPage';
import { LeadsPage } from './LeadsPage';
import { LoginScreen } from './LoginScreen';
import { MailDrop } from './MailDrop';
import { PipelineBoard } from './PipelineBoard';
import { QuoteEditor } from './QuoteEditor';
import { QuotePage } from './QuotePage';
import { RefusedChangesPage } from './RefusedChangesPage';
import { ReportsPage } from './ReportsPage';
import { reminderRoute } from './RemindersPanel';
import { Sidebar } from './Sidebar';
import { SidebarToggle } from './SidebarToggle';
import { skipLink } from './SkipLink';
import { TasksPage } from './TasksPage';
import { TicketPage } from './TicketPage';
import { TicketsPage } from './TicketsPage';
import { UnlockScreen } from './UnlockScreen';

const STATUS_POLL_MS = 2000;

/** What the main area shows; `refresh` reloads its data after a sync. */
interface Page {
  el: HTMLElement;
  refresh?: () => Promise<void>;
}

export class App {
  private header!: Header;
  private sidebarToggle!: SidebarToggle;
  private skipLink!: HTMLAnchorElement;
  private mailDrop!: MailDrop;
  private content!: HTMLElement;
  private sidebar: Sidebar | null = null;
  private main: HTMLElement | null = null;
  private page: Page | null = null;
  private status: Status | null = null;
  private polling = false;
  /** The open conflicts at the last count; null before the first one of the session. */
  private conflictCount: number | null = null;
  /** Increases with every count, so a slow answer never replaces a newer one. */
  private conflictCheck = 0;

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    if (!insideTauri()) {
      replaceChildren(this.root, h('main', { class: 'login-screen' }, h('p', { class: 'card' }, t('error.notInTauri'))));
      return;
    }
    this.build();
    window.addEventListener('hashchange', () => this.renderRoute());
    await events.onStatusChanged((status) => this.applyStatus(status));
    await events.onSyncProgress((progress) => this.header.setProgress(progress));
    // The window came to the front (the backend did it): the caller's card, at once.
    await events.onIncomingCall((number) => navigate({ name: 'call', number }));
    // Without drops, the app still works: it must not stop it from starting.
    await events
      .onFileDrop((drop) => this.onFileDrop(drop))
      .catch((reason: unknown) => console.warn('file drops not received', reason));
    await this.pollStatus();
    window.setInterval(() => void this.pollStatus(), STATUS_POLL_MS);
  }

  /** Builds the whole UI from scratch: at start and when the language changes. */
  private build(): void {
    this.sidebarToggle = new SidebarToggle();
    this.header = new Header(
      {
        onSync: () => void this.syncNow(),
        onLogout: () => void this.logout(),
        onToggleLang: () => this.toggleLang(),
      },
      this.sidebarToggle.el,
    );
    this.skipLink = skipLink('main');
    this.skipLink.hidden = true;
    this.content = h('div', { class: 'app-content' });
    this.mailDrop = new MailDrop({
      onFiled: () => {
        this.onLocalChange();
        void this.page?.refresh?.();
      },
    });
    this.sidebar = null;
    this.main = null;
    this.page = null;
    replaceChildren(this.root, h('div', { class: 'app' }, this.skipLink, this.header.el, this.content, this.mailDrop.el));
    const status = this.status;
    this.status = null;
    if (status) this.applyStatus(status);
    if (this.conflictCount !== null) this.header.setConflicts(this.conflictCount);
  }

  private async pollStatus(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      this.applyStatus(await api.status());
    } catch (reason) {
      console.warn('status failed', reason);
    } finally {
      this.polling = false;
    }
  }

  private applyStatus(status: Status): void {
    const previous = this.status;
    this.status = status;
    setUser(status.user ?? null);
    this.header.update(status);
    this.sidebar?.setReviewCounts({ refused: status.rejected });

    // Encrypted data waiting for the password comes before anything else; the screen is
    // built once, so polling does not wipe a password being typed.
    if (status.locked) {
      if (!previous?.locked) this.showUnlock();
      return;
    }
    if (!previous || previous.locked || previous.logged_in !== status.logged_in) {
      if (status.logged_in) this.showWorkspace();
      else this.showLogin(status.server_url);
      return;
    }
    // The backend syncs by itself (every few seconds, and when the server comes back):
    // reload what is on screen whenever a sync ended or the connection came back.
    const syncEnded = previous.last_sync_at !== status.last_sync_at || (previous.syncing && !status.syncing);
    const backOnline = !previous.online && status.online;
    if (status.logged_in && (syncEnded || backOnline)) this.refreshData();
  }

  private showUnlock(): void {
    this.leaveWorkspace();
    const unlock = new UnlockScreen((status) => this.applyStatus(status));
    replaceChildren(this.content, unlock.el);
  }

  private showLogin(serverUrl: string | null): void {
    this.leaveWorkspace();
    const login = new LoginScreen(serverUrl, () => void this.pollStatus());
    replaceChildren(this.content, login.el);
  }

  private showWorkspace(): void {
    this.sidebar = new Sidebar({
      onOpenAccount: (id) => navigate({ name: 'account', id }),
      onNewAccount: () => navigate({ name: 'new-account' }),
      onReveal: () => this.sidebarToggle.set(false),
    });
    // Focusable from script only: the skip link moves the focus here.
    this.main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
    const workspace = h('div', { class: 'workspace' }, this.sidebar.el, this.main);
    this.sidebarToggle.attach(workspace, this.sidebar.el);
    this.skipLink.hidden = false;
    replaceChildren(this.content, workspace);
    this.sidebar.setReviewCounts({ refused: this.status?.rejected ?? 0, conflicts: this.conflictCount ?? 0 });
    void this.sidebar.refresh();
    void this.countConflicts();
    // Opening on « Aujourd'hui », a role whose day starts elsewhere lands there; the
    // address is replaced, so « Précédent » does not lead back to the page skipped.
    const home = homeRoute(this.status?.user?.role);
    if (parseRoute().name === 'home' && home.name !== 'home') {
      history.replaceState(null, '', routeToHash(home));
    }
    this.renderRoute();
  }

  /** The unlock or sign-in screen replaces the workspace, and what belongs to it. */
  private leaveWorkspace(): void {
    this.sidebar = null;
    this.main = null;
    this.page = null;
    this.sidebarToggle.detach();
    this.skipLink.hidden = true;
    // The next person to sign in starts their own count.
    this.conflictCount = null;
    this.conflictCheck++;
    this.header.setConflicts(0);
  }

  private renderRoute(): void {
    if (!this.main || !this.sidebar) return;
    const route = parseRoute();
    const changed = () => this.onLocalChange();
    switch (route.name) {
      case 'home':
        this.page = new HomePage();
        break;
      case 'new-account':
        this.page = new AccountForm({
          accountId: null,
          phone: route.phone,
          onSaved: (account) => {
            changed();
            navigate({ name: 'account', id: account.id });
          },
          onCancel: () => navigate({ name: 'home' }),
        });
        break;
      case 'account':
        this.page = new AccountPage(route.id, this.status?.user?.role ?? null, {
          onChanged: changed,
          onEdit: (id) => navigate({ name: 'edit-account', id }),
          onDeleted: () => {
            changed();
            navigate({ name: 'home' });
          },
        });
        break;
      case 'edit-account':
        this.page = new AccountForm({
          accountId: route.id,
          onSaved: () => {
            changed();
            navigate({ name: 'account', id: route.id });
          },
          onCancel: () => navigate({ name: 'account', id: route.id }),
        });
        break;
      case 'pipeline':
        this.page = new PipelineBoard({
          onOpenDeal: (id) => navigate({ name: 'deal', id }),
          onOpenContract: (id) => navigate({ name: 'contract', id }),
          onChanged: changed,
        });
        break;
      case 'deal':
        this.page = new DealPage(route.id, {
          onChanged: changed,
          onNewQuote: (account, deal) => navigate({ name: 'new-quote', account, deal }),
        });
        break;
      case 'contracts':
        this.page = new ContractsPage((id) => navigate({ name: 'contract', id }));
        break;
      case 'contract':
        this.page = new ContractPage(route.id, changed);
        break;
      case 'contact':
        this.page = new ContactPage(route.id, changed);
        break;
      case 'settings':
        this.page = new MyAccountPage();
        break;
      case 'product':
        this.page = new ProductPage(route.id);
        break;
      case 'catalogue':
        this.page = new CataloguePage();
        break;
      case 'new-quote':
        this.page = new QuoteEditor({
          account: route.account,
          deal: route.deal,
          onSaved: (quote) => {
            changed();
            navigate({ name: 'quote', id: quote.id });
          },
          onCancel: () => {
            if (route.deal) navigate({ name: 'deal', id: route.deal });
            else if (route.account) navigate({ name: 'account', id: route.account });
            else navigate({ name: 'pipeline' });
          },
        });
        break;
      case 'quote':
        this.page = new QuotePage(route.id, changed);
        break;
      case 'agenda':
        this.page = new AgendaPage((id) => navigate({ name: 'account', id }), changed);
        break;
      case 'refused-changes':
        this.page = new RefusedChangesPage(this.status?.user ?? null, { onChanged: changed });
        break;
      case 'conflicts':
        this.page = new ConflictsPage(this.status?.user ?? null, this.status?.device_id ?? null, { onChanged: changed });
        this.header.conflictsSeen();
        break;
      case 'import':
        this.page = new ImportPage({ onChanged: changed });
        break;
      case 'duplicates':
        this.page = new DuplicatesPage(this.status?.user ?? null, { onChanged: changed });
        break;
      case 'leads':
        this.page = new LeadsPage({ onChanged: changed });
        break;
      case 'lead':
        this.page = new LeadPage(route.id, { onChanged: changed });
        break;
      case 'campaigns':
        this.page = new CampaignsPage({ onChanged: changed });
        break;
      case 'campaign':
        this.page = new CampaignPage(route.id, { onChanged: changed });
        break;
      case 'tickets':
        this.page = new TicketsPage({ onChanged: changed });
        break;
      case 'ticket':
        this.page = new TicketPage(route.id, { onChanged: changed });
        break;
      case 'call':
        this.page = new CallPage(route.number, { onChanged: changed });
        break;
      case 'reports':
        this.page = new ReportsPage(route.week ?? null, { onChanged: changed });
        break;
      case 'dashboard':
        this.page = new DashboardPage();
        break;
      case 'tasks':
        this.page = new TasksPage({
          onChanged: changed,
          onOpenReminder: (reminder) => {
            // Already on the tasks page: a reminder with nothing else to open stays here.
            const target = reminderRoute(reminder);
            if (target.name !== 'tasks') navigate(target);
          },
        });
        break;
    }
    const accountId = route.name === 'account' || route.name === 'edit-account' ? route.id : null;
    this.sidebar.select(accountId, sectionOf(route));
    replaceChildren(this.main, this.page.el);
    this.main.scrollTop = 0;
  }

  /** Files dragged from the system: `.eml` ones are the mail box's, on the workspace
   *  only (e-mails are filed with the signed-in user's contacts); the others are left to
   *  the page that takes them. */
  private onFileDrop(drop: FileDrop): void {
    if (!this.main) return;
    if (drop.type === 'leave') {
      this.mailDrop.leave();
      return;
    }
    const mails = emlPaths(drop.paths);
    if (mails.length === 0) return;
    if (drop.type === 'enter') this.mailDrop.hover(mails);
    else void this.mailDrop.drop(mails);
  }

  /** A record was saved on this computer: the list and the pending count changed (and
   *  the conflicts, when one was settled). */
  private onLocalChange(): void {
    void this.sidebar?.refresh();
    void this.pollStatus();
    void this.countConflicts();
  }

  private refreshData(): void {
    void this.sidebar?.refresh();
    void this.page?.refresh?.();
    void this.countConflicts();
  }

  /**
   * Counts the open conflicts for the header and the sidebar. Only a sync brings new
   * ones (an edit here settles them, it never makes one), so more than at the last count
   * means the sync that just ended created some: the header says so. The first count of
   * a session sets the base and announces nothing new.
   */
  private async countConflicts(): Promise<void> {
    const check = ++this.conflictCheck;
    let count: number;
    try {
      // The status counts them in one query; the page lists them with their authors.
      count = (await api.status()).conflicts;
    } catch (reason) {
      console.warn('status failed', reason);
      return;
    }
    if (check !== this.conflictCheck || !this.sidebar) return;
    const previous = this.conflictCount;
    this.conflictCount = count;
    const added = previous === null ? 0 : Math.max(0, count - previous);
    // Already on the conflicts page: the list itself shows the new ones.
    const onConflictsPage = parseRoute().name === 'conflicts';
    this.header.setConflicts(count, onConflictsPage ? 0 : added);
    this.sidebar.setReviewCounts({ conflicts: count });
  }

  private async syncNow(): Promise<void> {
    try {
      const report = await api.syncNow();
      this.header.showSyncReport(report);
      this.refreshData();
    } catch (reason) {
      this.header.showSyncFailure(reason);
    }
    await this.pollStatus();
  }

  private async logout(): Promise<void> {
    // The next person to sign in on this computer does not see which accounts were open.
    clearRecentAccounts();
    try {
      await api.logout();
    } catch (reason) {
      this.header.notify(reason instanceof ApiError ? reason.message : String(reason));
    }
    navigate({ name: 'home' });
    await this.pollStatus();
  }

  private toggleLang(): void {
    setLang(lang() === 'fr' ? 'en' : 'fr');
    this.build();
  }
}
