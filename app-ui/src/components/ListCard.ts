//! A card holding a list of an account's records: a titled header with a "+ Nouveau…"
//! button that opens an inline form above the list; an empty list shows one line.

import { h, replaceChildren } from '../dom';

/** The section: header (title and button), then the form, then the list. */
export function listCard(titleId: string, title: string, newButton: HTMLButtonElement, form: HTMLElement, list: HTMLElement): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': titleId },
    h('div', { class: 'card-header' }, h('h2', { id: titleId }, title), newButton),
    form,
    list,
  );
}

/** The form's onSaved and onCancel: both show `newButton` again; saving also calls `onChanged`. */
export function formClosers(newButton: HTMLButtonElement, onChanged: () => void): [() => void, () => void] {
  return [
    () => {
      newButton.hidden = false;
      onChanged();
    },
    () => (newButton.hidden = false),
  ];
}

/** Shows `text` as the list's only item. */
export function showEmpty(list: HTMLElement, text: string): void {
  replaceChildren(list, h('li', { class: 'list-empty' }, text));
}
