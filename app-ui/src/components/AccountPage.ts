//! The page of one account: its details, concurrent changes to review, contacts, deals,
//! quotes and contracts, timeline, and history of changes. Sales managers and
//! administrators also get "Gestion du compte": reassign it to another rep, or delete it.
//! `refresh` reloads the data without touching forms being filled in.

import { api, type AccountView, type Role } from '../api';
import { h, replaceChildren } from '../dom';
import { accountKindLabel, fieldLabel } from '../format';
import { t, tCount } from '../i18n';
import { rememberAccount } from '../recentAccounts';
import { routeToHash } from '../router';
import { AccountPricing } from './AccountPricing';
import { AccountSales } from './AccountSales';
import { ConflictPanel } from './ConflictPanel';
import { ContactList } from './ContactList';
import { definitionRows, type DefinitionRow } from './DefinitionList';
import { FormError, formField, messageOf, whileBusy } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { isNotOnDevice, loadFailureMessage } from './RecordPage';
import { Timeline } from './Timeline';

/** Fields shown in the details card, in this order. */
const DETAIL_FIELDS = ['siret', 'sector', 'address', 'postal_code', 'city', 'country', 'phone', 'email', 'website'] as const;

/** Roles that may reassign and delete accounts (the backend and the server check again). */
const MANAGING_ROLES: ReadonlyArray<Role | string> = ['manager', 'admin'];

export interface AccountPageActions {
  /** Something was saved: the portfolio and the pending count need a refresh. */
  onChanged: () => void;
  onEdit: (id: string) => void;
  /** The account was deleted: back to the portfolio. */
  onDeleted: () => void;
}

export class AccountPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly details: HTMLElement;
  private readonly tags: HTMLElement;
  private readonly error: HTMLElement;
  private readonly body: HTMLElement;
  private readonly conflicts: ConflictPanel;
  private readonly contacts: ContactList;
  private readonly timeline: Timeline;
  private readonly sales: AccountSales;
  private readonly pricing: AccountPricing;
  private readonly group: HTMLElement;
  private readonly history: HistoryPanel;
  private accountName = '';
  private generation = 0;

  /** `role` is the signed-in user's: it decides which actions are offered. */
  constructor(private readonly accountId: string, role: Role | string | null, private readonly actions: AccountPageActions) {
    const changed = () => {
      void this.refresh();
      actions.onChanged();
    };
    this.conflicts = new ConflictPanel(changed);
    this.contacts = new ContactList(accountId, changed, role === 'admin');
    this.timeline = new Timeline(accountId, changed);
    this.sales = new AccountSales(accountId);
    this.pricing = new AccountPricing(changed);
    this.group = h('section', { id: 'account-group', class: 'card', 'aria-labelledby': 'group-title', hidden: true });
    this.history = new HistoryPanel(accountId, 'account');
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.details = h('dl', { class: 'details' });
    this.tags = h('div', { class: 'tags' });
    this.error = h('p', { class: 'form-error', role: 'alert', hidden: true });

    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      this.conflicts.el,
      h(
        'div',
        { class: 'columns' },
        h('section', { class: 'card', 'aria-labelledby': 'details-title' }, h('div', { class: 'card-header' }, h('h2', { id: 'details-title' }, t('account.details'))), this.details, this.tags),
        this.contacts.el,
      ),
      h('div', { class: 'columns' }, this.pricing.el, this.group),
      this.sales.el,
      this.timeline.el,
      this.history.el,
      role !== null && MANAGING_ROLES.includes(role) ? this.managementCard(changed) : null,
    );

    this.el = h(
      'section',
      { id: 'account-page', class: 'page', dataset: { id: accountId } },
      h(
        'div',
        { class: 'page-header' },
        h('div', {}, this.title, this.subtitle),
        h('button', { id: 'edit-account-button', type: 'button', class: 'button button-secondary', on: { click: () => actions.onEdit(accountId) } }, t('account.edit')),
      ),
      this.error,
      this.body,
    );
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    void this.sales.refresh();
    void this.history.refresh();
    try {
      const account = await api.accountView(this.accountId);
      if (generation !== this.generation) return;
      this.error.hidden = true;
      this.render(account);
    } catch (reason) {
      if (generation !== this.generation) return;
      this.error.textContent = loadFailureMessage(reason, 'account.notFound');
      this.error.hidden = false;
      // Gone from this device (deleted, reassigned to a colleague): nothing left to show.
      if (isNotOnDevice(messageOf(reason))) this.body.hidden = true;
    }
  }

  private render(account: AccountView): void {
    this.accountName = account.name;
    // For the home page's "Comptes récents", by the name it has now.
    rememberAccount(account.id, account.name);
    this.title.textContent = account.name;
    const place = [account.postal_code, account.city].filter(Boolean).join(' ');
    replaceChildren(
      this.subtitle,
      h('span', { class: `kind-tag kind-${account.kind}` }, accountKindLabel(account.kind)),
      place ? h('span', {}, place) : null,
      account.phone ? h('span', {}, account.phone) : null,
    );

    const link = (id: string | null | undefined, name: string | null | undefined) =>
      id ? h('a', { href: routeToHash({ name: 'account', id }) }, name ?? t('account.unknown')) : null;
    const follow: DefinitionRow[] = [
      [fieldLabel('owner'), account.owner_name ?? null, 'owner'],
      [fieldLabel('parent'), link(account.parent, account.parent_name), 'parent'],
      [fieldLabel('distributor'), link(account.distributor, account.distributor_name), 'distributor'],
      [
        t('account.visitCadence'),
        account.visit_every_weeks ? t('account.visitEvery', { weeks: account.visit_every_weeks }) : null,
        'visit_every_weeks',
      ],
    ];
    replaceChildren(
      this.details,
      ...definitionRows([
        ...DETAIL_FIELDS.map((field): DefinitionRow => [fieldLabel(field), account[field] ? String(account[field]) : null, field]),
        ...follow.filter(([, value]) => value !== null),
      ]),
    );
    this.pricing.update(account);
    this.renderGroup(account);
    const tags = account.tags ?? [];
    replaceChildren(this.tags, ...tags.map((tag) => h('span', { class: 'tag' }, tag)));
    this.tags.hidden = tags.length === 0;

    this.conflicts.update(account.id, account.conflicts, account.type);
    this.contacts.update(account.contacts ?? []);
    this.timeline.update(account.timeline ?? [], account.contacts ?? []);
    this.body.hidden = false;
  }

  /** The companies of the group (for a parent) and the end customers (for a distributor). */
  private renderGroup(account: AccountView): void {
    const list = (id: string, items: AccountView['subsidiaries']) =>
      h(
        'ul',
        { id, class: 'item-list' },
        ...items.map((item) =>
          h(
            'li',
            { class: 'item-row', dataset: { id: item.id } },
            h('a', { class: 'item-main', href: routeToHash({ name: 'account', id: item.id }) }, h('span', { class: 'item-title' }, item.name), item.city ? h('span', { class: 'item-meta' }, item.city) : null),
          ),
        ),
      );
    const subsidiaries = account.subsidiaries ?? [];
    const customers = account.end_customers ?? [];
    this.group.hidden = subsidiaries.length === 0 && customers.length === 0;
    replaceChildren(
      this.group,
      subsidiaries.length > 0 ? h('div', { class: 'card-header' }, h('h2', { id: 'group-title' }, t('account.subsidiaries', { count: subsidiaries.length }))) : null,
      subsidiaries.length > 0 ? list('account-subsidiaries', subsidiaries) : null,
      customers.length > 0 ? h('div', { class: 'card-header' }, h('h2', { id: subsidiaries.length > 0 ? 'customers-title' : 'group-title' }, t('account.endCustomers', { count: customers.length }))) : null,
      customers.length > 0 ? list('account-end-customers', customers) : null,
    );
  }

  /** "Gestion du compte": reassign to another rep by e-mail, or delete (managers, admins). */
  private managementCard(changed: () => void): HTMLElement {
    const email = h('input', {
      id: 'account-reassign-email',
      name: 'reassign-email',
      type: 'email',
      autocomplete: 'off',
      placeholder: t('account.reassignPlaceholder'),
    });
    const reassign = h('button', { id: 'account-reassign-submit', type: 'submit', class: 'button button-secondary' }, t('account.reassign'));
    const remove = h('button', { id: 'account-delete', type: 'button', class: 'button button-danger' }, t('account.delete'));
    const error = new FormError();
    const notice = h('p', { id: 'account-reassign-result', class: 'form-notice', role: 'status', hidden: true });

    const reassignForm = h(
      'form',
      {
        id: 'account-reassign-form',
        class: 'inline-action',
        novalidate: true,
        on: {
          submit: (event) => {
            event.preventDefault();
            error.clear();
            notice.hidden = true;
            const to = email.value.trim();
            if (!to) {
              error.show(t('account.reassignEmpty'));
              email.focus();
              return;
            }
            void whileBusy(reassign, t('account.reassigning'), async () => {
              try {
                const result = await api.reassignAccount(this.accountId, to);
                email.value = '';
                notice.textContent = tCount('account.reassigned', result.moved.length, { email: to });
                notice.hidden = false;
                changed();
              } catch (reason) {
                error.show(messageOf(reason));
              }
            });
          },
        },
      },
      formField(t('account.reassignLabel'), email),
      reassign,
    );

    remove.addEventListener('click', () => {
      error.clear();
      notice.hidden = true;
      if (!window.confirm(t('account.deleteConfirm', { name: this.accountName || this.accountId }))) return;
      void whileBusy(remove, t('account.deleting'), async () => {
        try {
          await api.deleteRecord(this.accountId, 'account');
          this.actions.onDeleted();
        } catch (reason) {
          error.show(messageOf(reason));
        }
      });
    });

    return h(
      'section',
      { id: 'account-management', class: 'card account-management', 'aria-labelledby': 'account-management-title' },
      h('div', { class: 'card-header' }, h('h2', { id: 'account-management-title' }, t('account.manage'))),
      h('p', { class: 'muted' }, t('account.reassignHint')),
      reassignForm,
      h('div', { class: 'inline-action danger-zone' }, h('p', { class: 'muted' }, t('account.deleteHint')), remove),
      error.el,
      notice,
    );
  }
}
