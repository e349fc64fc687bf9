//! The merge of two likely duplicates, under their pair on the « Doublons » page: the two
//! records side by side, field by field where they differ (names, not ids), a « Garder
//! cette fiche » choice over each column (the first record by default), and for each
//! field both fill in differently the value to keep, the kept record's by default. The
//! sentence above « Fusionner les deux fiches » says what the merge does; `merge_records`
//! does it, offline.

import { api, type DuplicatePair, type MergeReport, type User } from '../api';
import { h, replaceChildren } from '../dom';
import { compareRecords, fieldsToTake, type FieldDifference, type FieldValue, type Side } from '../duplicates';
import { fieldLabel, fieldValueText } from '../format';
import { t } from '../i18n';
import { FormError, messageOf, whileBusy } from './FormField';
import { RecordNames } from './RecordNames';

export interface MergeActions {
  onMerged: (report: MergeReport) => void;
  onCancel: () => void;
}

export class MergePanel {
  readonly el: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;
  private differences: FieldDifference[] = [];
  private names: RecordNames | null = null;
  private kept: Side = 'a';
  /** The value chosen for each field both records fill in differently. */
  private readonly chosen = new Map<string, Side>();

  constructor(
    private readonly pair: DuplicatePair,
    private readonly recordType: 'account' | 'contact',
    private readonly me: User | null,
    private readonly actions: MergeActions,
  ) {
    this.table = h('table', { class: 'data-table merge-table' });
    this.submit = h('button', { type: 'button', class: 'button button-primary merge-submit', disabled: true }, t('duplicates.mergeYes'));
    this.submit.addEventListener('click', () => void this.merge());
    const cancel = h('button', { type: 'button', class: 'button button-secondary merge-cancel', on: { click: () => actions.onCancel() } }, t('form.cancel'));
    this.el = h(
      'div',
      {
        class: 'merge-panel',
        role: 'group',
        'aria-label': t('duplicates.merge'),
        on: {
          keydown: (event) => {
            if (event.key === 'Escape') actions.onCancel();
          },
        },
      },
      h('p', { class: 'page-help' }, t('duplicates.mergeHelp')),
      h('div', { class: 'merge-scroll' }, this.table),
      h('p', { class: 'callout merge-consequence' }, t('duplicates.mergeConfirm')),
      this.error.el,
      h('div', { class: 'form-actions' }, cancel, this.submit),
    );
    replaceChildren(this.table, h('tbody', {}, h('tr', {}, h('td', { class: 'list-empty' }, t('account.loading')))));
    void this.load();
  }

  /** Reads both records (their pages' views) and the names their ids point to. */
  private async load(): Promise<void> {
    try {
      const view = (id: string) => (this.recordType === 'account' ? api.accountView(id) : api.contactView(id));
      const [a, b] = await Promise.all([view(this.pair.a), view(this.pair.b)]);
      const records = [a, b] as unknown as Array<Record<string, unknown>>;
      this.differences = compareRecords(records[0]!, records[1]!);
      this.names = await RecordNames.load(
        this.differences.flatMap((d): Array<[string, unknown]> => [[d.field, d.a], [d.field, d.b]]),
        this.me,
      );
      this.render();
      this.submit.disabled = false;
    } catch (reason) {
      replaceChildren(this.table);
      this.error.show(messageOf(reason));
    }
  }

  private render(): void {
    const keepChoice = (side: Side, name: string) =>
      h(
        'th',
        { class: side === this.kept ? 'merge-record kept' : 'merge-record' },
        h(
          'label',
          { class: 'checkbox-label merge-keep' },
          h('input', {
            type: 'radio',
            name: `merge-keep-${this.pair.a}`,
            value: side === 'a' ? this.pair.a : this.pair.b,
            checked: side === this.kept,
            on: { change: () => this.keep(side) },
          }),
          t('duplicates.keep'),
        ),
        h('span', { class: 'strong merge-record-name' }, name),
      );
    replaceChildren(
      this.table,
      h('thead', {}, h('tr', {}, h('th', {}, t('duplicates.field')), keepChoice('a', this.pair.a_name), keepChoice('b', this.pair.b_name))),
      h(
        'tbody',
        {},
        ...(this.differences.length > 0
          ? this.differences.map((difference) => this.row(difference))
          : [h('tr', {}, h('td', { class: 'list-empty', colSpan: 3 }, t('duplicates.noDifference')))]),
      ),
    );
  }

  /** Another record kept: every choice goes back to its values. */
  private keep(side: Side): void {
    this.kept = side;
    this.chosen.clear();
    this.render();
  }

  private row(difference: FieldDifference): HTMLElement {
    const label = fieldLabel(difference.field, this.recordType);
    return h(
      'tr',
      { dataset: { field: difference.field } },
      h('th', { scope: 'row', class: 'merge-field' }, label),
      this.cell(difference, 'a', label),
      this.cell(difference, 'b', label),
    );
  }

  private cell(difference: FieldDifference, side: Side, label: string): HTMLElement {
    const value = difference[side];
    const text = this.text(difference.field, value);
    if (difference.comparison === 'choice') {
      const chosen = (this.chosen.get(difference.field) ?? this.kept) === side;
      return h(
        'td',
        { class: chosen ? 'merge-value chosen' : 'merge-value' },
        h(
          'label',
          { class: 'checkbox-label' },
          h('input', {
            type: 'radio',
            name: `merge-${this.pair.a}-${difference.field}`,
            value: side,
            checked: chosen,
            'aria-label': t('openConflicts.keepValue', { value: text, field: label }),
            on: {
              change: () => {
                this.chosen.set(difference.field, side);
                this.render();
              },
            },
          }),
          text,
        ),
      );
    }
    // No choice to make: the core fills an empty field and joins lists.
    const note = side !== this.kept ? null : difference.comparison === 'joined' ? t('duplicates.joined') : value === null ? t('duplicates.filled') : null;
    return h('td', { class: 'merge-value' }, value === null ? h('span', { class: 'muted' }, '—') : text, note ? h('span', { class: 'muted merge-note' }, ` (${note})`) : null);
  }

  private text(field: string, value: FieldValue | null): string {
    return value === null ? '' : fieldValueText(field, value, { type: this.recordType, nameOf: this.names?.nameOf });
  }

  private async merge(): Promise<void> {
    this.error.clear();
    const keep = this.kept === 'a' ? this.pair.a : this.pair.b;
    const other = this.kept === 'a' ? this.pair.b : this.pair.a;
    const take = fieldsToTake(this.differences, this.kept, this.chosen);
    await whileBusy(this.submit, t('duplicates.merging'), async () => {
      try {
        this.actions.onMerged(await api.mergeRecords(keep, other, take));
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}
