//! The search field of a list page: typing filters at once; with `onEscape`, Escape
//! empties it first.

import { h } from '../dom';

export type FilterOptions = {
  id: string;
  placeholder: string;
  /** The accessible name; the placeholder when not given. */
  label?: string;
  onInput: () => void;
  onEscape?: () => void;
};

/** The <input type="search">. */
export function filterInput(options: FilterOptions): HTMLInputElement {
  const input: HTMLInputElement = h('input', {
    id: options.id,
    type: 'search',
    placeholder: options.placeholder,
    'aria-label': options.label ?? options.placeholder,
    autocomplete: 'off',
    on: {
      input: options.onInput,
      keydown: (event) => {
        if (options.onEscape && event.key === 'Escape') {
          input.value = '';
          options.onEscape();
        }
      },
    },
  });
  return input;
}

/** The box around the field, in a page's toolbar or header. */
export function filterBox(input: HTMLInputElement): HTMLElement {
  return h('div', { class: 'search-box toolbar-search' }, input);
}
