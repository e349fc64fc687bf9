//! The page of one account: its details, concurrent changes to review, contacts, deals,
//! quotes and contracts, and timeline. `refresh` reloads the data without touching forms
//! being filled in.

import { api, ApiError, type AccountView } from '../api';
import { h, replaceChildren } from '../dom';
import { accountKindLabel, fieldLabel } from '../format';
import { t } from '../i18n';
import { AccountSales } from './AccountSales';
import { ConflictPanel } from './ConflictPanel';
import { ContactList } from './ContactList';
import { definitionRows } from './DefinitionList';
import { Timeline } from './Timeline';

/** Fields shown in the details card, in this order. */
const DETAIL_FIELDS = ['siret', 'sector', 'address', 'postal_code', 'city', 'country', 'phone', 'email', 'website'] as const;

export interface AccountPageActions {
  /** Something was saved: the portfolio and the pending count need a refresh. */
  onChanged: () => void;
  onEdit: (id: string) => void;
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
  private generation = 0;

  constructor(private readonly accountId: string, actions: AccountPageActions) {
    const changed = () => {
      void this.refresh();
      actions.onChanged();
    };
    this.conflicts = new ConflictPanel(changed);
    this.contacts = new ContactList(accountId, changed);
    this.timeline = new Timeline(accountId, changed);
    this.sales = new AccountSales(accountId);
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
      this.sales.el,
      this.timeline.el,
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
    try {
      const account = await api.accountView(this.accountId);
      if (generation !== this.generation) return;
      this.error.hidden = true;
      this.render(account);
    } catch (reason) {
      if (generation !== this.generation) return;
      const message = reason instanceof ApiError ? reason.message : String(reason);
      this.error.textContent = t('account.notFound', { message });
      this.error.hidden = false;
    }
  }

  private render(account: AccountView): void {
    this.title.textContent = account.name;
    const place = [account.postal_code, account.city].filter(Boolean).join(' ');
    replaceChildren(
      this.subtitle,
      h('span', { class: `kind-tag kind-${account.kind}` }, accountKindLabel(account.kind)),
      place ? h('span', {}, place) : null,
      account.phone ? h('span', {}, account.phone) : null,
    );

    replaceChildren(
      this.details,
      ...definitionRows(DETAIL_FIELDS.map((field) => [fieldLabel(field), account[field] ? String(account[field]) : null, field])),
    );
    const tags = account.tags ?? [];
    replaceChildren(this.tags, ...tags.map((tag) => h('span', { class: 'tag' }, tag)));
    this.tags.hidden = tags.length === 0;

    this.conflicts.update(account.id, account.conflicts);
    this.contacts.update(account.contacts ?? []);
    this.timeline.update(account.timeline ?? [], account.contacts ?? []);
    this.body.hidden = false;
  }
}
