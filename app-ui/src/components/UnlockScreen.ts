//! The unlock screen, shown while `status.locked` is true: the data on this device is
//! encrypted and no OS keyring held its key, so the user's password opens it.

import { api, type Status } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { FormError, formField, messageOf, whileBusy } from './FormField';

export class UnlockScreen {
  readonly el: HTMLElement;

  /** `onUnlocked` receives the status `unlock` answered. */
  constructor(private readonly onUnlocked: (status: Status) => void) {
    const password = h('input', { id: 'unlock-password', name: 'password', type: 'password', required: true, autocomplete: 'current-password', autofocus: true });
    const submit = h('button', { id: 'unlock-submit', type: 'submit', class: 'button button-primary button-block' }, t('unlock.submit'));
    const error = new FormError();
    error.el.id = 'unlock-error';

    const form = h(
      'form',
      {
        id: 'unlock-form',
        class: 'login-card',
        on: {
          submit: (event) => {
            event.preventDefault();
            error.clear();
            void whileBusy(submit, t('unlock.busy'), async () => {
              try {
                const status = await api.unlock(password.value);
                password.value = '';
                this.onUnlocked(status);
              } catch (reason) {
                error.show(messageOf(reason));
                password.select();
              }
            });
          },
        },
      },
      h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark large', 'aria-hidden': 'true' }), t('app.title')),
      h('h1', {}, t('unlock.title')),
      h('p', { class: 'muted' }, t('unlock.subtitle')),
      formField(t('unlock.password'), password),
      error.el,
      submit,
    );

    this.el = h('main', { id: 'unlock-screen', class: 'login-screen' }, form);
    // Focus once the element is in the document.
    queueMicrotask(() => password.focus());
  }
}
