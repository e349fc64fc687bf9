//! « Conflits »: every field two people changed at the same time, still to settle, by
//! record: its type and name (a link to its page when it has one), then each field in
//! conflict with every value, who wrote it, when, on which device, and a « Garder cette
//! valeur » button that calls `resolve_conflict`. The wording is the record pages'
//! (ConflictPanel).

import { api, type ConflictValue, type OpenConflict, type User } from '../api';
import { h, replaceChildren } from '../dom';
import { fieldLabel, fieldValueText, formatDateTime, formatDateTimeLong } from '../format';
import { t, tCount } from '../i18n';
import { Reloader } from '../reload';
import { authorText, deviceText, nameText, typeText } from '../review';
import { recordRoute, routeToHash } from '../router';
import { loadSalesSettings } from '../stages';
import { FormError, messageOf } from './FormField';
import { reviewPage, showEmpty } from './ListCard';
import { RecordNames } from './RecordNames';

export interface ConflictsPageActions {
  /** A conflict was settled: the header's count is out of date. */
  onChanged: () => void;
}

export class ConflictsPage {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly help: HTMLElement;
  private readonly error = new FormError();
  private readonly reloader = new Reloader((reason) => this.error.show(t('openConflicts.loadError', { message: messageOf(reason) })));

  /** `thisDevice` is this computer's device id: its values say « cet appareil ». */
  constructor(
    private readonly me: User | null,
    private readonly thisDevice: string | null,
    private readonly actions: ConflictsPageActions,
  ) {
    ({ el: this.el, list: this.list, count: this.count, help: this.help } = reviewPage(
      { page: 'conflicts-page', list: 'conflict-records', count: 'conflicts-count-line' },
      t('openConflicts.title'),
      t('conflicts.help'),
      this.error.el,
    ));
    void this.refresh(true);
  }

  /** Reloads after a sync or a choice; redrawn only when the conflicts changed. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const [conflicts] = await Promise.all([api.openConflicts(), loadSalesSettings()]);
      const names = await RecordNames.load(
        conflicts.flatMap((conflict) => conflict.values.map((value): [string, unknown] => [conflict.field, value.value])),
        this.me,
      );
      return {
        shown: conflicts,
        show: () => {
          this.error.clear();
          this.count.textContent = conflicts.length > 0 ? tCount('header.conflicts', conflicts.length) : '';
          this.help.hidden = conflicts.length === 0;
          if (conflicts.length === 0) showEmpty(this.list, t('openConflicts.empty'));
          else replaceChildren(this.list, ...byRecord(conflicts).map((fields) => this.record(fields, names)));
        },
      };
    });
  }

  /** One record's card: its fields in conflict, in the order the backend sent them. */
  private record(fields: OpenConflict[], names: RecordNames): HTMLElement {
    const first = fields[0]!;
    const route = recordRoute(first.record_type, first.record_id);
    return h(
      'li',
      { class: 'card review-card open-conflict', dataset: { id: first.record_id, type: first.record_type } },
      h(
        'div',
        { class: 'review-card-header' },
        h(
          'div',
          { class: 'review-record' },
          h('span', { class: 'record-type-tag' }, typeText(first.record_type)),
          h('h2', { class: 'review-record-name' }, nameText(first.label)),
        ),
        route ? h('a', { class: 'button button-secondary button-small conflict-open', href: routeToHash(route) }, t('review.openRecord')) : null,
      ),
      ...fields.map((conflict) => this.field(conflict, names)),
    );
  }

  private field(conflict: OpenConflict, names: RecordNames): HTMLElement {
    const field = fieldLabel(conflict.field, conflict.record_type);
    return h(
      'div',
      { class: 'open-conflict-field', dataset: { field: conflict.field } },
      h('h3', { class: 'review-subtitle conflict-field' }, field),
      h('ul', { class: 'conflict-values' }, ...conflict.values.map((value) => this.value(conflict, field, value, names))),
    );
  }

  private value(conflict: OpenConflict, field: string, value: ConflictValue, names: RecordNames): HTMLElement {
    const text = fieldValueText(conflict.field, value.value, { type: conflict.record_type, nameOf: names.nameOf });
    const button = h(
      'button',
      {
        type: 'button',
        class: value.kept ? 'button button-secondary button-small conflict-keep' : 'button button-primary button-small conflict-keep',
        'aria-label': t('openConflicts.keepValue', { value: text, field }),
      },
      t('conflicts.keep'),
    );
    button.addEventListener('click', () => void this.keep(conflict, value.value));
    return h(
      'li',
      { class: value.kept ? 'conflict-value kept' : 'conflict-value other' },
      h('span', { class: 'conflict-tag' }, value.kept ? t('conflicts.kept') : t('conflicts.other')),
      h(
        'div',
        { class: 'conflict-body' },
        h('span', { class: 'conflict-text' }, text),
        h(
          'span',
          { class: 'conflict-meta' },
          h(
            'span',
            { class: 'conflict-author' },
            value.author ? t('openConflicts.by', { who: authorText(value.author, value.device) }) : t('openConflicts.unknownAuthor'),
          ),
          value.at
            ? h('time', { class: 'conflict-at', datetime: value.at, title: formatDateTimeLong(value.at) }, t('openConflicts.at', { date: formatDateTime(value.at) }))
            : null,
          // The server and an unknown device are already named by their author line.
          value.device && value.author?.kind === 'user'
            ? h('span', { class: 'conflict-device', title: value.device }, deviceText(value.device, this.thisDevice))
            : null,
        ),
      ),
      button,
    );
  }

  private async keep(conflict: OpenConflict, value: string): Promise<void> {
    this.error.clear();
    const buttons = [...this.list.querySelectorAll<HTMLButtonElement>('.conflict-keep')];
    buttons.forEach((other) => (other.disabled = true));
    try {
      await api.resolveConflict(conflict.record_id, conflict.field, value);
      this.actions.onChanged();
      await this.refresh(true);
    } catch (reason) {
      this.error.show(messageOf(reason));
    } finally {
      buttons.forEach((other) => (other.disabled = false));
    }
  }
}

/** The conflicts grouped by record, records in the order of their first conflict. */
function byRecord(conflicts: OpenConflict[]): OpenConflict[][] {
  const records = new Map<string, OpenConflict[]>();
  for (const conflict of conflicts) {
    const fields = records.get(conflict.record_id);
    if (fields) fields.push(conflict);
    else records.set(conflict.record_id, [conflict]);
  }
  return [...records.values()];
}
