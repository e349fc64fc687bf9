//! The sign-in screen, shown while `status.logged_in` is false. The server address is
//! remembered on this computer so the next sign-in only asks for the password.

import { api, ApiError } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { FormError, formField, whileBusy } from './FormField';

const DEFAULT_SERVER = 'http://127.0.0.1:8080';
const SERVER_KEY = 'crm-terrain.server';

export class LoginScreen {
  readonly el: HTMLElement;

  constructor(serverUrl: string | null, private readonly onLoggedIn: () => void) {
    const server = h('input', { name: 'server', type: 'url', required: true, autocomplete: 'url', value: serverUrl ?? rememberedServer() });
    const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'username', autofocus: true });
    const password = h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
    const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, t('login.submit'));
    const error = new FormError();

    const form = h(
      'form',
      {
        id: 'login-form',
        class: 'login-card',
        on: {
          submit: (event) => {
            event.preventDefault();
            error.clear();
            void whileBusy(submit, t('login.busy'), async () => {
              try {
                await api.login(server.value.trim(), email.value.trim(), password.value);
                remember(server.value.trim());
                password.value = '';
                this.onLoggedIn();
              } catch (reason) {
                error.show(reason instanceof ApiError ? reason.message : String(reason));
                password.select();
              }
            });
          },
        },
      },
      h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark large', 'aria-hidden': 'true' }), t('app.title')),
      h('h1', {}, t('login.title')),
      h('p', { class: 'muted' }, t('login.subtitle')),
      formField(t('login.server'), server),
      formField(t('login.email'), email),
      formField(t('login.password'), password),
      error.el,
      submit,
    );

    this.el = h('main', { id: 'login-screen', class: 'login-screen' }, form);
    // Focus once the element is in the document.
    queueMicrotask(() => (email.value ? password : email).focus());
  }
}

function rememberedServer(): string {
  try {
    return localStorage.getItem(SERVER_KEY) || DEFAULT_SERVER;
  } catch {
    return DEFAULT_SERVER;
  }
}

function remember(server: string): void {
  try {
    localStorage.setItem(SERVER_KEY, server);
  } catch {
    // Storage disabled: the default address is offered next time.
  }
}
