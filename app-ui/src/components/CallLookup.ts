//! The box that opens an incoming-call card by hand, for a computer with no telephony
//! application connected: the caller's number, typed as it comes (spaces, dots, +33),
//! and « Ouvrir la fiche ». On the ticket queue and on the call card itself.

import { h } from '../dom';
import { t } from '../i18n';
import { navigate } from '../router';
import { FormError } from './FormField';

/** The form; `id` prefixes its elements' ids (two boxes never share a page). */
export function callLookup(id: string, number = ''): HTMLElement {
  const error = new FormError();
  const input = h('input', {
    id: `${id}-number`,
    name: 'number',
    type: 'tel',
    autocomplete: 'off',
    value: number,
    placeholder: '04 78 00 00 00',
    'aria-label': t('call.number'),
  });
  return h(
    'form',
    {
      id,
      class: 'call-lookup',
      role: 'search',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          const typed = input.value.trim();
          if (!typed) {
            error.showAt(input, t('call.noNumber'));
            return;
          }
          error.clear();
          navigate({ name: 'call', number: typed });
        },
      },
    },
    h('label', { class: 'call-lookup-label', for: input.id }, t('call.number')),
    h('div', { class: 'inline-row' }, input, h('button', { id: `${id}-open`, type: 'submit', class: 'button button-secondary' }, t('call.open'))),
    error.el,
  );
}
