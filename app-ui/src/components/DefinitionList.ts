//! The label / value rows of a details card (<dl class="details">): a missing value is
//! shown muted as "—"; `field`, when given, marks the value with `data-field`.

import { h } from '../dom';
import { t } from '../i18n';

export type DefinitionRow = [label: string, value: Node | string | null, field?: string];

/** The <dt>/<dd> pairs of `rows`, to put in a <dl>. */
export function definitionRows(rows: DefinitionRow[]): HTMLElement[] {
  return rows.flatMap(([label, value, field]) => [
    h('dt', {}, label),
    h('dd', { class: value ? '' : 'muted', dataset: field === undefined ? undefined : { field } }, value ?? t('account.empty')),
  ]);
}
