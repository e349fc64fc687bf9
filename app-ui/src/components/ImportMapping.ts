//! The columns of a file to import: one row per column with its header, the field it
//! goes to (a select of the places the core offers, « — ne pas importer — » first,
//! preset to the core's guess) and an example; then the first rows of the file under
//! their headers, as read.

import type { ImportPreview } from '../api';
import { h, replaceChildren } from '../dom';
import { mappingRows, targetOptions, type ImportType, type MappingRow } from '../importWizard';
import { t, tCount } from '../i18n';

export class ImportMapping {
  readonly el: HTMLElement;
  private readonly mapping: HTMLTableSectionElement;
  private readonly preview: HTMLTableElement;
  private readonly total: HTMLElement;
  private readonly selects: Array<{ header: string; select: HTMLSelectElement }> = [];

  /** `onChange` runs when a column is sent elsewhere. */
  constructor(private readonly onChange: () => void) {
    this.mapping = h('tbody', {});
    this.preview = h('table', { id: 'import-preview', class: 'data-table import-preview' });
    this.total = h('p', { id: 'import-total', class: 'muted' });
    this.el = h(
      'div',
      { class: 'import-mapping' },
      h('h3', { class: 'review-subtitle' }, t('import.columns')),
      h('p', { class: 'page-help' }, t('import.columnsHelp')),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { id: 'import-mapping', class: 'data-table' },
          h('thead', {}, h('tr', {}, h('th', {}, t('import.column')), h('th', {}, t('import.target')))),
          this.mapping,
        ),
      ),
      h('h3', { class: 'review-subtitle' }, t('import.preview')),
      this.total,
      h('div', { class: 'table-scroll' }, this.preview),
    );
  }

  show(preview: ImportPreview, type: ImportType): void {
    const rows = mappingRows(preview);
    const options = targetOptions(preview.targets, type);
    this.selects.length = 0;
    replaceChildren(
      this.mapping,
      ...rows.map((row, index) => {
        const select = h(
          'select',
          { name: `column-${index}`, dataset: { header: row.header }, 'aria-label': t('import.target'), on: { change: () => this.onChange() } },
          ...options.map((option) => h('option', { value: option.value }, option.label)),
        );
        // A mapping saved from an earlier import may name a field this type no longer has.
        select.value = options.some((option) => option.value === row.target) ? row.target : '';
        this.selects.push({ header: row.header, select });
        return h('tr', { dataset: { header: row.header } }, h('th', { scope: 'row', class: 'import-header' }, row.header), h('td', {}, select));
      }),
    );
    this.total.textContent = tCount('import.rows', preview.total_rows);
    replaceChildren(
      this.preview,
      h('thead', {}, h('tr', {}, ...rows.map((row) => h('th', {}, row.header)))),
      h('tbody', {}, ...preview.rows.map((cells) => h('tr', {}, ...rows.map((_, i) => h('td', {}, cells[i] ?? ''))))),
    );
  }

  /** Each column with the field now chosen for it ('' for none). */
  values(): MappingRow[] {
    return this.selects.map(({ header, select }) => ({ header, target: select.value }));
  }
}
