//! The page of one account: its details, concurrent changes to review, contacts, deals,
//! quotes and contracts, timeline (each entry with its author), and history of changes.
//! Sales managers and administrators also get "Gestion du compte": reassign it to a
//! colleague picked by name (a manager's team, anyone for an administrator), or delete it.
//! Buttons the role may not use are not shown. `refresh` reloads the data without
//! touching forms being filled in.

import { api, type AccountView, type Person, type Role } from '../api';
import { h, replaceChildren } from '../dom';
import { accountKindLabel, fieldLabel, formatPhone } from '../format';
import { t, tCount } from '../i18n';
import { PeopleNames, reassignCandidates } from '../people';
import { rememberAccount } from '../recentAccounts';
import { routeToHash } from '../router';
import { may, reach, signedInUser } from '../session';
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
  /** The colleagues' names and e-mails, from the directory this device keeps. */
  private people: Person[] = [];
  /** "Réattribuer à": null when the user may not reassign accounts. */
  private reassignTo: HTMLSelectElement | null = null;
  private reassignButton: HTMLButtonElement | null = null;
  private reassignNobody: HTMLElement | null = null;

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
      this.managementCard(changed),
    );

    this.el = h(
      'section',
      { id: 'account-page', class: 'page', dataset: { id: accountId } },
      h(
        'div',
        { class: 'page-header' },
        h('div', {}, this.title, this.subtitle),
        h(
          'button',
          { id: 'edit-account-button', type: 'button', class: 'button button-secondary', hidden: !may('edit', 'account'), on: { click: () => actions.onEdit(accountId) } },
          t('account.edit'),
        ),
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
      const [account, people] = await Promise.all([
        api.accountView(this.accountId),
        // Names only: without the directory, authors are « Utilisateur inconnu ».
        api.people().catch((): Person[] => []),
      ]);
      if (generation !== this.generation) return;
      this.people = people;
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
      account.phone ? h('span', {}, formatPhone(account.phone)) : null,
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
        ...DETAIL_FIELDS.map((field): DefinitionRow => [
          fieldLabel(field),
          account[field] ? (field === 'phone' ? formatPhone(String(account[field])) : String(account[field])) : null,
          field,
        ]),
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
    this.timeline.update(account.timeline ?? [], account.contacts ?? [], new PeopleNames(this.people, signedInUser()?.id ?? null));
    this.renderCandidates(account.owner ?? null);
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

  /**
   * "Gestion du compte" (sales managers, administrators): reassign to a colleague chosen
   * in a list, or delete; each part only for those the permission matrix lets do it, and
   * no card at all for the others. Reassigning takes a team scope at least, like the core.
   */
  private managementCard(changed: () => void): HTMLElement | null {
    const reassignScope = reach('edit', 'account');
    const mayReassign = reassignScope === 'team' || reassignScope === 'all';
    const mayDelete = may('delete', 'account');
    if (!mayReassign && !mayDelete) return null;
    const error = new FormError();
    const notice = h('p', { id: 'account-reassign-result', class: 'form-notice', role: 'status', hidden: true });
    const remove = h('button', { id: 'account-delete', type: 'button', class: 'button button-danger' }, t('account.delete'));

    let reassignForm: HTMLElement | null = null;
    if (mayReassign) {
      const select = h('select', { id: 'account-reassign-to', name: 'reassign-to' });
      const reassign = h('button', { id: 'account-reassign-submit', type: 'submit', class: 'button button-secondary' }, t('account.reassign'));
      this.reassignTo = select;
      this.reassignButton = reassign;
      this.reassignNobody = h('p', { id: 'account-reassign-nobody', class: 'muted', hidden: true }, t('account.reassignNobody'));
      reassignForm = h(
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
              // The options' values are e-mails: the command takes one.
              const to = select.value;
              const person = this.people.find((p) => p.email === to);
              if (!to) {
                error.show(t('account.reassignEmpty'));
                select.focus();
                return;
              }
              void whileBusy(reassign, t('account.reassigning'), async () => {
                try {
                  const result = await api.reassignAccount(this.accountId, to);
                  select.value = '';
                  notice.textContent = tCount('account.reassigned', result.moved.length, { name: person?.name ?? to });
                  notice.hidden = false;
                  changed();
                } catch (reason) {
                  error.show(messageOf(reason));
                }
              });
            },
          },
        },
        formField(t('account.reassignLabel'), select),
        reassign,
      );
    }

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
      reassignForm ? h('p', { class: 'muted' }, t('account.reassignHint')) : null,
      reassignForm,
      this.reassignNobody,
      mayDelete ? h('div', { class: 'inline-action danger-zone' }, h('p', { class: 'muted' }, t('account.deleteHint')), remove) : null,
      error.el,
      notice,
    );
  }

  /**
   * The colleagues the account can go to, by name with their e-mail: the manager and their
   * team, or everyone for an administrator, except its current owner. The choice being
   * made is kept when a sync redraws the page.
   */
  private renderCandidates(owner: string | null): void {
    const select = this.reassignTo;
    if (!select || !this.reassignButton || !this.reassignNobody) return;
    const candidates = reassignCandidates(this.people, signedInUser()?.id ?? null, reach('edit', 'account'), owner);
    const chosen = select.value;
    replaceChildren(
      select,
      h('option', { value: '' }, t('form.choose')),
      ...candidates.map((person) => h('option', { value: person.email }, `${person.name} — ${person.email}`)),
    );
    select.value = candidates.some((person) => person.email === chosen) ? chosen : '';
    const nobody = candidates.length === 0;
    select.disabled = nobody;
    this.reassignButton.disabled = nobody;
    this.reassignNobody.hidden = !nobody;
  }
}
