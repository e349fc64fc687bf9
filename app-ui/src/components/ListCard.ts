//! A card holding a list of an account's records: a titled header with a "+ Nouveau…"
//! button that opens an inline form above the list; an empty list shows one line.

import { h, replaceChildren } from '../dom';
import { t } from '../i18n';

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

/** The parts of a page that lists things to review (conflicts, refused changes). */
export interface ReviewPageParts {
  el: HTMLElement;
  list: HTMLUListElement;
  count: HTMLElement;
  help: HTMLElement;
}

/** A review page: its title with a count line under it, a help sentence (hidden until
 *  there is something to review), the error line, and the list, showing "loading". */
export function reviewPage(ids: { page: string; list: string; count: string }, title: string, help: string, error: HTMLElement): ReviewPageParts {
  const list = h('ul', { id: ids.list, class: 'review-list' });
  const count = h('div', { id: ids.count, class: 'page-subtitle' });
  const helpLine = h('p', { class: 'page-help', hidden: true }, help);
  const el = h(
    'section',
    { id: ids.page, class: 'page' },
    h('div', { class: 'page-header' }, h('div', {}, h('h1', { class: 'page-title' }, title), count)),
    helpLine,
    error,
    list,
  );
  showEmpty(list, t('account.loading'));
  return { el, list, count, help: helpLine };
}
