//! Concurrent changes of a record: for each field, the value kept for now and the other
//! values (in words: labels, not ids), each with a "Garder cette valeur" button that calls
//! `resolve_conflict`. The « Conflits » page lists those of every record.

import { api, ApiError, type Conflict } from '../api';
import { h, replaceChildren } from '../dom';
import { fieldLabel, fieldValueText } from '../format';
import { t } from '../i18n';
import { FormError } from './FormField';

export class ConflictPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly error = new FormError();
  private recordId = '';
  private recordType: string | null = null;

  /** `compact` is for conflicts of a contact or an activity, shown inside its item. */
  constructor(private readonly onResolved: () => void, compact = false) {
    this.list = h('div', { class: 'conflict-list' });
    this.el = h(
      'section',
      { class: compact ? 'conflicts compact' : 'card conflicts', hidden: true },
      compact ? null : h('h2', {}, '⚠ ', t('conflicts.title')),
      compact ? null : h('p', { class: 'muted' }, t('conflicts.help')),
      this.list,
      this.error.el,
    );
  }

  /** `recordType` gives the values of the type's lists their words (`customer` → « Client »). */
  update(recordId: string, conflicts: Conflict[] | undefined, recordType: string | null = null): void {
    this.recordId = recordId;
    this.recordType = recordType;
    const items = conflicts ?? [];
    this.el.hidden = items.length === 0;
    replaceChildren(this.list, ...items.map((conflict) => this.conflict(conflict)));
  }

  private conflict(conflict: Conflict): HTMLElement {
    return h(
      'div',
      { class: 'conflict', dataset: { field: conflict.field } },
      h('div', { class: 'conflict-field' }, fieldLabel(conflict.field, this.recordType)),
      h(
        'ul',
        { class: 'conflict-values' },
        this.value(conflict.field, conflict.value, true),
        ...conflict.others.map((other) => this.value(conflict.field, other, false)),
      ),
    );
  }

  private value(field: string, value: string, kept: boolean): HTMLElement {
    const button = h('button', { type: 'button', class: kept ? 'button button-secondary button-small' : 'button button-primary button-small' }, t('conflicts.keep'));
    button.addEventListener('click', () => void this.keep(field, value, button));
    return h(
      'li',
      { class: kept ? 'conflict-value kept' : 'conflict-value other' },
      h('span', { class: 'conflict-tag' }, kept ? t('conflicts.kept') : t('conflicts.other')),
      h('span', { class: 'conflict-text' }, fieldValueText(field, value, { type: this.recordType })),
      button,
    );
  }

  private async keep(field: string, value: string, button: HTMLButtonElement): Promise<void> {
    this.error.clear();
    button.disabled = true;
    try {
      await api.resolveConflict(this.recordId, field, value);
      this.onResolved();
    } catch (reason) {
      this.error.show(reason instanceof ApiError ? reason.message : String(reason));
    } finally {
      button.disabled = false;
    }
  }
}
