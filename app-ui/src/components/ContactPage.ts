//! The page of one contact: their details and RGPD consents (with the date given or
//! withdrawn), "Modifier" (for those who may edit contacts), their own timeline (the
//! activities that name them, with who wrote each), the export of everything this device
//! holds on them (RGPD), and the history of their changes.

import { api, type ContactView } from '../api';
import { h, replaceChildren } from '../dom';
import { activityKindLabel, choiceLabel, choicesOf, formatCalendarDate, formatDateTime, formatPhone } from '../format';
import { t } from '../i18n';
import { PeopleNames, writtenBy } from '../people';
import { routeToHash } from '../router';
import { may, signedInUser } from '../session';
import { ContactForm } from './ContactForm';
import { definitionRows, type DefinitionRow } from './DefinitionList';
import { FormError, messageOf, whileBusy } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { RecordLoader, recordPage, titledCard, withPeople } from './RecordPage';

export class ContactPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly details: HTMLElement;
  private readonly timeline: HTMLElement;
  private readonly form: ContactForm;
  private readonly editButton: HTMLButtonElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly exportNotice: HTMLElement;
  private readonly changes: HistoryPanel;
  private contact: ContactView | null = null;
  private readonly loader: RecordLoader;

  constructor(private readonly contactId: string, private readonly onChanged: () => void) {
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.details = h('dl', { id: 'contact-details', class: 'details' });
    this.timeline = h('ol', { id: 'contact-timeline', class: 'timeline' });
    this.changes = new HistoryPanel(contactId, 'contact');
    this.loader = new RecordLoader(this.error, 'contact.notFound', this.changes);
    this.editButton = h(
      'button',
      { id: 'edit-contact-button', type: 'button', class: 'button button-secondary', hidden: !may('edit', 'contact'), on: { click: () => this.openForm() } },
      t('contact.edit'),
    );
    this.exportButton = h(
      'button',
      { id: 'export-contact-button', type: 'button', class: 'button button-secondary button-small', on: { click: () => void this.exportData() } },
      t('contact.export'),
    );
    this.exportNotice = h('p', { id: 'contact-export-notice', class: 'toast', role: 'status', hidden: true });
    // The form needs the account: it is created empty and opened once the contact is known.
    this.form = new ContactForm(
      '',
      () => {
        this.editButton.hidden = false;
        this.onChanged();
        void this.refresh(true);
      },
      () => (this.editButton.hidden = false),
    );
    this.form.el.hidden = true;
    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      this.form.el,
      h(
        'div',
        { class: 'columns' },
        titledCard(
          { title: t('account.details'), extra: this.exportButton },
          this.details,
          this.exportNotice,
        ),
        titledCard({ title: t('contact.timeline') }, this.timeline),
      ),
      this.changes.el,
    );
    this.el = recordPage({
      id: 'contact-page',
      recordId: contactId,
      back: { name: 'home' },
      backLabel: t('contact.back'),
      header: [this.title, this.subtitle, this.editButton],
      error: this.error.el,
      body: this.body,
    });
    void this.refresh();
  }

  async refresh(force = false): Promise<void> {
    // Names only: without the directory, authors are « Utilisateur inconnu ».
    await this.loader.reload(force, () => withPeople(api.contactView(this.contactId)), ([contact, people]) => {
      this.contact = contact;
      this.render(contact, new PeopleNames(people, signedInUser()?.id ?? null));
    });
  }

  private render(contact: ContactView, people: PeopleNames): void {
    this.title.textContent = contact.name;
    replaceChildren(
      this.subtitle,
      contact.job_title ? h('span', {}, contact.job_title) : null,
      h('a', { id: 'contact-account-link', href: routeToHash({ name: 'account', id: contact.account }) }, contact.account_name ?? t('account.unknown')),
    );
    const consent = (field: 'consent_email' | 'consent_phone') =>
      contact[field] ? choiceLabel(choicesOf(`contact.${field}`), contact[field]) : t('contact.consentUnknown');
    const rows: DefinitionRow[] = [
      [t('field.phone'), contact.phone ? formatPhone(contact.phone) : null, 'phone'],
      [t('field.mobile'), contact.mobile ? formatPhone(contact.mobile) : null, 'mobile'],
      [t('field.email'), contact.email ?? null, 'email'],
      [t('field.consent_email'), consent('consent_email'), 'consent_email'],
      [t('field.consent_phone'), consent('consent_phone'), 'consent_phone'],
      [t('field.consent_date'), contact.consent_date ? formatCalendarDate(contact.consent_date) : null, 'consent_date'],
    ];
    replaceChildren(this.details, ...definitionRows(rows));
    const timeline = contact.timeline ?? [];
    replaceChildren(
      this.timeline,
      ...(timeline.length === 0
        ? [h('li', { class: 'list-empty' }, t('contact.noActivity'))]
        : timeline.map((activity) => {
            const author = writtenBy(activity.owner, people);
            return h(
              'li',
              { class: `timeline-item kind-${activity.kind}`, dataset: { id: activity.id } },
              h(
                'div',
                { class: 'timeline-meta' },
                h('span', { class: 'tag' }, activityKindLabel(activity.kind)),
                ' ',
                formatDateTime(activity.at),
                author ? h('span', { class: 'timeline-author' }, ' · ', author) : null,
              ),
              h('div', { class: 'timeline-subject' }, activity.subject ?? ''),
              activity.body ? h('p', { class: 'timeline-body' }, activity.body) : null,
            );
          })),
    );
    this.body.hidden = false;
  }

  private openForm(): void {
    if (!this.contact) return;
    this.editButton.hidden = true;
    this.form.open(this.contact);
  }

  private async exportData(): Promise<void> {
    this.error.clear();
    await whileBusy(this.exportButton, t('contact.exporting'), async () => {
      try {
        const path = await api.exportContactData(this.contactId);
        this.exportNotice.textContent = t('contact.exported', { path });
        this.exportNotice.hidden = false;
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}
