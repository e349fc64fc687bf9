//! "Mon compte": the user's devices (a lost laptop is revoked from here), the secret
//! address that puts their agenda in Outlook or on a phone, the password change, and
//! "À propos" with the app's and the server's versions. Everything but "À propos" needs
//! the server: offline, each card says so instead of failing silently. Below, the
//! company's quote header (`CompanyHeaderCard`), which is local and works offline.

import { api, type DeviceInfo } from '../api';
import { h, replaceChildren } from '../dom';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { CompanyHeaderCard } from './CompanyHeaderCard';
import { FormError, formField, messageOf, whileBusy } from './FormField';

export class MyAccountPage {
  readonly el: HTMLElement;
  private readonly devices: HTMLElement;
  private readonly devicesError = new FormError();
  private readonly feed: HTMLElement;
  private readonly feedError = new FormError();
  private readonly feedButton: HTMLButtonElement;
  private readonly passwordForm: HTMLFormElement;
  private readonly passwordError = new FormError();
  private readonly passwordDone: HTMLElement;
  private readonly passwordButton: HTMLButtonElement;
  private readonly inputs: Record<'current' | 'next' | 'again', HTMLInputElement>;
  private readonly about: HTMLElement;

  constructor() {
    this.devices = h('ul', { id: 'device-list', class: 'item-list' });
    this.feed = h('p', { id: 'calendar-feed', class: 'muted' }, t('myAccount.feedHelp'));
    this.feedButton = h('button', { id: 'calendar-feed-button', type: 'button', class: 'button button-secondary button-small', on: { click: () => void this.newFeed() } }, t('myAccount.feedCreate'));
    const password = (name: string, autocomplete: string) => h('input', { name, type: 'password', autocomplete, required: true });
    this.inputs = { current: password('current', 'current-password'), next: password('new', 'new-password'), again: password('again', 'new-password') };
    this.passwordButton = h('button', { type: 'submit', class: 'button button-primary' }, t('myAccount.passwordChange'));
    this.passwordDone = h('p', { id: 'password-done', class: 'toast', role: 'status', hidden: true });
    this.passwordForm = h(
      'form',
      { id: 'password-form', class: 'record-form', novalidate: true, on: { submit: (event) => { event.preventDefault(); void this.changePassword(); } } },
      h(
        'div',
        { class: 'form-grid' },
        formField(t('myAccount.passwordCurrent'), this.inputs.current),
        formField(t('myAccount.passwordNew'), this.inputs.next, { hint: t('myAccount.passwordHint') }),
        formField(t('myAccount.passwordAgain'), this.inputs.again),
      ),
      this.passwordError.el,
      this.passwordDone,
      h('div', { class: 'form-actions' }, this.passwordButton),
    );
    this.about = h('dl', { id: 'about', class: 'details' });
    const card = (id: string, title: string, action: HTMLElement | null, ...body: Array<HTMLElement | null>) =>
      h('section', { id, class: 'card', 'aria-labelledby': `${id}-title` }, h('div', { class: 'card-header' }, h('h2', { id: `${id}-title` }, title), action), ...body);
    this.el = h(
      'section',
      { id: 'my-account-page', class: 'page' },
      h('div', { class: 'page-header' }, h('h1', { class: 'page-title' }, t('myAccount.title'))),
      h(
        'div',
        { class: 'account-body' },
        card('devices-card', t('myAccount.devices'), null, this.devicesError.el, this.devices),
        h(
          'div',
          { class: 'columns' },
          card('feed-card', t('myAccount.feed'), this.feedButton, this.feed, this.feedError.el),
          card('about-card', t('myAccount.about'), null, this.about),
        ),
        card('password-card', t('myAccount.password'), null, this.passwordForm),
        new CompanyHeaderCard().el,
      ),
    );
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.loadDevices(), this.loadAbout()]);
  }

  private async loadDevices(): Promise<void> {
    try {
      const devices = await api.listDevices();
      this.devicesError.clear();
      replaceChildren(this.devices, ...devices.map((device) => this.deviceRow(device)));
    } catch (reason) {
      this.devicesError.show(messageOf(reason));
    }
  }

  private deviceRow(device: DeviceInfo): HTMLElement {
    const seen = device.last_seen_at ? t('myAccount.lastSeen', { when: formatDateTime(new Date(device.last_seen_at).toISOString()) }) : t('myAccount.neverSeen');
    const revoke = h('button', { type: 'button', class: 'button button-secondary button-small', dataset: { id: device.id } }, t('myAccount.revoke'));
    revoke.addEventListener('click', () => void this.revoke(device, revoke));
    return h(
      'li',
      { class: device.revoked ? 'item-row muted' : 'item-row', dataset: { id: device.id } },
      h(
        'div',
        { class: 'item-main' },
        h('span', { class: 'item-title' }, device.name, device.current ? h('span', { class: 'tag' }, t('myAccount.thisDevice')) : null),
        h('span', { class: 'item-meta' }, device.revoked ? t('myAccount.revoked') : seen),
      ),
      device.current || device.revoked ? null : revoke,
    );
  }

  private async revoke(device: DeviceInfo, button: HTMLButtonElement): Promise<void> {
    if (button.dataset.confirm !== 'yes') {
      // A second click confirms: a revoked device erases its data.
      button.dataset.confirm = 'yes';
      button.textContent = t('myAccount.revokeConfirm', { name: device.name });
      return;
    }
    await whileBusy(button, t('myAccount.revoking'), async () => {
      try {
        await api.revokeDevice(device.id);
        await this.loadDevices();
      } catch (reason) {
        this.devicesError.show(messageOf(reason));
      }
    });
  }

  private async newFeed(): Promise<void> {
    this.feedError.clear();
    await whileBusy(this.feedButton, t('myAccount.feedCreating'), async () => {
      try {
        const url = await api.calendarFeed();
        replaceChildren(this.feed, h('span', {}, t('myAccount.feedReady')), ' ', h('code', { id: 'calendar-feed-url', class: 'mono' }, url));
        this.feed.classList.remove('muted');
      } catch (reason) {
        this.feedError.show(messageOf(reason));
      }
    });
  }

  private async changePassword(): Promise<void> {
    this.passwordError.clear();
    this.passwordDone.hidden = true;
    const { current, next, again } = this.inputs;
    if (next.value !== again.value) {
      this.passwordError.show(t('myAccount.passwordMismatch'));
      again.focus();
      return;
    }
    await whileBusy(this.passwordButton, t('form.saving'), async () => {
      try {
        await api.changePassword(current.value, next.value);
        for (const input of [current, next, again]) input.value = '';
        this.passwordDone.textContent = t('myAccount.passwordChanged');
        this.passwordDone.hidden = false;
      } catch (reason) {
        this.passwordError.showFor(reason, this.passwordForm);
      }
    });
  }

  private async loadAbout(): Promise<void> {
    const about = await api.about().catch(() => null);
    replaceChildren(
      this.about,
      h('dt', {}, t('myAccount.appVersion')),
      h('dd', { id: 'app-version' }, about?.app_version ?? '—'),
      h('dt', {}, t('myAccount.serverVersion')),
      h('dd', { id: 'server-version' }, about?.server ? t('myAccount.serverIs', { version: about.server.version, protocol: String(about.server.protocol) }) : t('myAccount.serverUnreachable')),
    );
  }
}
