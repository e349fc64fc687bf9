//! The scaffolding every list page shares (campaigns, tickets, leads, contracts): the
//! header with the title, the count line under it and one action; the « + Nouveau… »
//! button with the form it opens; the table in its card, its one-line empty state, and
//! its rows that open a record on click or Enter and walk with ↑ and ↓.

import { h, replaceChildren, type Child } from '../dom';
import { may } from '../session';

/** The page header: the title with `count` (the subtitle line) under it, then `action`. */
export function pageHeader(title: string, count: HTMLElement, action: HTMLElement): HTMLElement {
  return h('div', { class: 'page-header' }, h('div', {}, h('h1', { class: 'page-title' }, title), count), action);
}

/** The « + <label> » button, shown to those who may create a `type`. */
export function newRecordButton(id: string, type: string, label: string, onClick: () => void): HTMLButtonElement {
  return h('button', { id, type: 'button', class: 'button button-primary', hidden: !may('create', type), on: { click: onClick } }, '+ ', label);
}

/** The onSaved and onCancel of the form `button` opens: both show the button again;
 *  saving then calls `onChanged` and opens the saved record, cancelling focuses the button. */
export function newFormClosers<T>(button: HTMLButtonElement, onChanged: () => void, open: (saved: T) => void): [(saved: T) => void, () => void] {
  return [
    (saved) => {
      button.hidden = false;
      onChanged();
      open(saved);
    },
    () => {
      button.hidden = false;
      button.focus();
    },
  ];
}

/** The table card: a `data-table` with `headers` as its one header row, then `body`. */
export function tableCard(id: string, headers: HTMLElement[], body: HTMLTableSectionElement): HTMLElement {
  return h('div', { class: 'card table-card' }, h('table', { id, class: 'data-table' }, h('thead', {}, h('tr', {}, ...headers)), body));
}

/** Shows `text` as the table's only row, across its `colSpan` columns. */
export function showEmptyRow(body: HTMLTableSectionElement, colSpan: number, text: string): void {
  replaceChildren(body, h('tr', {}, h('td', { class: 'list-empty', colSpan }, text)));
}

/** A row that opens its record on click or Enter; ↑ and ↓ walk the rows. */
export function clickableRow(attrs: { class: string; dataset: Record<string, string> }, open: () => void, ...cells: Child[]): HTMLTableRowElement {
  return h(
    'tr',
    {
      class: attrs.class,
      dataset: attrs.dataset,
      tabindex: 0,
      on: {
        click: open,
        keydown: (event) => {
          if (event.key === 'Enter') open();
          // ↑ and ↓ walk the rows.
          const row = event.currentTarget as HTMLElement;
          const next = event.key === 'ArrowDown' ? row.nextElementSibling : event.key === 'ArrowUp' ? row.previousElementSibling : null;
          if (next instanceof HTMLElement) {
            event.preventDefault();
            next.focus();
          }
        },
      },
    },
    ...cells,
  );
}
