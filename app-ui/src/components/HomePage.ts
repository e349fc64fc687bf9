//! What the main area shows when no account is open.

import { h } from '../dom';
import { t } from '../i18n';

export class HomePage {
  readonly el: HTMLElement;

  constructor(onNewAccount: () => void) {
    this.el = h(
      'section',
      { id: 'home-page', class: 'page empty-page' },
      h(
        'div',
        { class: 'card welcome' },
        h('h1', {}, t('home.title')),
        h('p', { class: 'muted' }, t('home.body')),
        h('button', { type: 'button', class: 'button button-primary', on: { click: onNewAccount } }, '+ ', t('sidebar.newAccount')),
      ),
    );
  }
}
