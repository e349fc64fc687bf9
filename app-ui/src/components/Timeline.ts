//! The account's history, newest first as the backend sends it, each entry with who wrote
//! it, and the "Nouvelle activité" button and form (for those who may create activities).

import type { Activity, Contact } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import type { PeopleNames } from '../people';
import { may } from '../session';
import { ActivityForm } from './ActivityForm';
import { formClosers, listCard, showEmpty } from './ListCard';
import { TimelineItem } from './TimelineItem';

export class Timeline {
  readonly el: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly form: ActivityForm;
  private readonly newButton: HTMLButtonElement;
  private items = new Map<string, TimelineItem>();

  constructor(accountId: string, private readonly onChanged: () => void) {
    this.list = h('ol', { id: 'timeline', class: 'timeline' });
    this.newButton = h(
      'button',
      { id: 'new-activity-button', type: 'button', class: 'button button-primary button-small', hidden: !may('create', 'activity'), on: { click: () => this.openForm() } },
      '+ ',
      t('timeline.new'),
    );
    this.form = new ActivityForm(accountId, ...formClosers(this.newButton, this.onChanged));
    this.el = listCard('timeline-title', t('timeline.title'), this.newButton, this.form.el, this.list);
  }

  /** Items being edited are kept as they are; the others show the new data. `people`
   *  names the authors. */
  update(activities: Activity[], contacts: Contact[], people: PeopleNames): void {
    if (activities.length === 0) {
      this.items.clear();
      showEmpty(this.list, t('timeline.empty'));
      return;
    }
    const next = new Map<string, TimelineItem>();
    for (const activity of activities) {
      const existing = this.items.get(activity.id);
      if (existing) existing.update(activity, contacts, people);
      next.set(activity.id, existing ?? new TimelineItem(activity, contacts, people, this.onChanged));
    }
    this.items = next;
    // Moving a node drops its focus: touch the list only if the order changed.
    const wanted = [...next.values()].map((item) => item.el);
    const current = [...this.list.children];
    if (wanted.length !== current.length || wanted.some((el, i) => el !== current[i])) {
      replaceChildren(this.list, ...wanted);
    }
  }

  private openForm(): void {
    this.newButton.hidden = true;
    this.form.open();
  }
}
