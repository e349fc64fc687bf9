//! The contacts of an account, with the "Nouveau contact" button and form (for those who
//! may create contacts) and, from two contacts on, a filter over their name, job title,
//! e-mail and phone numbers. For an administrator, each contact also has "Effacer
//! (RGPD)": the person is erased from the server and every device, history included.
//! Under the list, the contacts shown (as filtered) are exported to Excel, CSV or vCard.

import { api, type Contact } from '../api';
import { h, replaceChildren } from '../dom';
import { formatPhone } from '../format';
import { contactMatches } from '../filters';
import { t } from '../i18n';
import { routeToHash } from '../router';
import { may } from '../session';
import { ConflictPanel } from './ConflictPanel';
import { ContactForm } from './ContactForm';
import { ExportButtons } from './ExportButtons';
import { filterBox, filterInput } from './FilterBox';
import { FormError, messageOf, whileBusy } from './FormField';
import { formClosers, listCard, showEmpty } from './ListCard';

/** Below this many contacts the list is short enough to read without a filter. */
const FILTER_FROM = 2;

export class ContactList {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly form: ContactForm;
  private readonly newButton: HTMLButtonElement;
  private readonly filter: HTMLInputElement;
  private readonly filterBox: HTMLElement;
  private readonly error = new FormError();
  private readonly exportButtons: ExportButtons;
  private contacts: Contact[] = [];
  /** The contacts the list shows now, as filtered. */
  private shown: Contact[] = [];

  /** `canErase`: the user is an administrator, who may erase a person (RGPD). */
  constructor(accountId: string, private readonly onChanged: () => void, private readonly canErase = false) {
    this.list = h('ul', { id: 'contact-list', class: 'contact-list' });
    this.newButton = h(
      'button',
      { id: 'new-contact-button', type: 'button', class: 'button button-secondary button-small', hidden: !may('create', 'contact'), on: { click: () => this.openForm() } },
      '+ ',
      t('contacts.new'),
    );
    this.form = new ContactForm(accountId, ...formClosers(this.newButton, this.onChanged));
    this.filter = filterInput({
      id: 'contact-filter',
      placeholder: t('contacts.filter'),
      label: t('contacts.filterLabel'),
      onInput: () => this.render(),
      onEscape: () => this.render(),
    });
    this.filterBox = filterBox(this.filter);
    this.filterBox.classList.add('contact-filter');
    this.filterBox.hidden = true;
    this.el = listCard('contacts-title', t('contacts.title'), this.newButton, this.form.el, this.list);
    this.list.before(this.filterBox);
    this.exportButtons = new ExportButtons({ id: 'contacts-export', recordType: 'contact', ids: () => this.shown.map((c) => c.id), vcard: true });
    this.el.append(this.exportButtons.el, this.error.el);
  }

  update(contacts: Contact[]): void {
    this.contacts = contacts;
    this.render();
  }

  /** The contacts that match the filter (all of them when it is empty or hidden). */
  private render(): void {
    const contacts = this.contacts;
    this.filterBox.hidden = contacts.length < FILTER_FROM;
    const query = this.filterBox.hidden ? '' : this.filter.value;
    const shown = contacts.filter((contact) => contactMatches(contact, query));
    this.shown = shown;
    this.exportButtons.el.hidden = shown.length === 0;
    if (contacts.length === 0) {
      showEmpty(this.list, t('contacts.empty'));
      return;
    }
    if (shown.length === 0) {
      showEmpty(this.list, t('contacts.noMatch'));
      return;
    }
    replaceChildren(this.list, ...shown.map((contact) => this.item(contact)));
  }

  private openForm(): void {
    this.newButton.hidden = true;
    this.form.open();
  }

  private item(contact: Contact): HTMLElement {
    const conflicts = new ConflictPanel(this.onChanged, true);
    conflicts.update(contact.id, contact.conflicts, contact.type);
    const lines = [contact.phone, contact.mobile].filter((value): value is string => Boolean(value)).map(formatPhone);
    if (contact.email) lines.push(contact.email);
    return h(
      'li',
      { class: 'contact', dataset: { id: contact.id } },
      h('span', { class: 'avatar small', 'aria-hidden': 'true' }, initial(contact.name)),
      h(
        'div',
        { class: 'contact-body' },
        h('div', { class: 'contact-name' }, h('a', { href: routeToHash({ name: 'contact', id: contact.id }) }, contact.name), contact.job_title ? h('span', { class: 'muted' }, ' · ', contact.job_title) : null),
        lines.length ? h('div', { class: 'contact-lines' }, ...lines.map((line) => h('span', {}, line))) : null,
        conflicts.el,
      ),
      this.canErase ? this.eraseButton(contact) : null,
    );
  }

  private eraseButton(contact: Contact): HTMLButtonElement {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'button button-danger button-small contact-erase',
        title: t('contacts.eraseTitle', { name: contact.name }),
        dataset: { id: contact.id },
      },
      t('contacts.erase'),
    );
    button.addEventListener('click', () => void this.erase(contact, button));
    return button;
  }

  private async erase(contact: Contact, button: HTMLButtonElement): Promise<void> {
    this.error.clear();
    if (!window.confirm(t('contacts.eraseConfirm', { name: contact.name }))) return;
    await whileBusy(button, t('contacts.erasing'), async () => {
      try {
        await api.erasePerson(contact.id);
        this.onChanged();
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}

function initial(name: string): string {
  return (name.trim()[0] ?? '?').toUpperCase();
}
