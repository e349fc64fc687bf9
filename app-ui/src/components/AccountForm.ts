//! The account form, for a new account and for editing one. It sends what the user typed
//! and shows the backend's verdict; on edit it sends only the fields that changed, so an
//! untouched field never competes with someone else's concurrent edit. While the name,
//! SIRET, e-mail, phone or postal code is typed, a box above « Enregistrer » names the
//! accounts it may duplicate (`DuplicateWarning`).

import { api, ApiError, type Account, type Fields } from '../api';
import { h } from '../dom';
import { choiceLabel, choicesOf } from '../format';
import { t, type MessageKey } from '../i18n';
import { accountSelect, setAccounts } from './AccountSelect';
import { DuplicateWarning } from './DuplicateWarning';
import { FormError, formField, whileBusy } from './FormField';


/** Text fields of the form: name, input type, and whether it spans the whole row. */
const TEXT_FIELDS: ReadonlyArray<{ name: string; type: string; wide?: boolean; autocomplete?: string }> = [
  { name: 'name', type: 'text', wide: true, autocomplete: 'organization' },
  { name: 'siret', type: 'text' },
  { name: 'sector', type: 'text' },
  { name: 'address', type: 'text', wide: true, autocomplete: 'street-address' },
  { name: 'postal_code', type: 'text', autocomplete: 'postal-code' },
  { name: 'city', type: 'text', autocomplete: 'address-level2' },
  { name: 'country', type: 'text', autocomplete: 'country-name' },
  { name: 'phone', type: 'tel', autocomplete: 'tel' },
  { name: 'email', type: 'email', autocomplete: 'email' },
  { name: 'website', type: 'url', autocomplete: 'url' },
];

export interface AccountFormOptions {
  /** null for a new account. */
  accountId: string | null;
  /** A new account's phone, already known (an unknown caller's number). */
  phone?: string;
  onSaved: (account: Account) => void;
  onCancel: () => void;
}

export class AccountForm {
  readonly el: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;
  private readonly duplicates: DuplicateWarning;
  private original: Account | null = null;

  constructor(private readonly options: AccountFormOptions) {
    for (const field of TEXT_FIELDS) {
      this.inputs.set(field.name, h('input', { name: field.name, type: field.type, autocomplete: field.autocomplete ?? 'off' }));
    }
    // The kinds come from the core's vocabulary; the first (prospect) is the default.
    this.inputs.set('kind', h('select', { name: 'kind' }, ...choicesOf('account.kind').map((c) => h('option', { value: c.id }, choiceLabel([c], c.id)))));
    // Key accounts belong to a group; a distributor's end customers name it.
    this.inputs.set('parent', accountSelect({ name: 'parent', emptyLabel: t('form.none') }));
    this.inputs.set('distributor', accountSelect({ name: 'distributor', emptyLabel: t('form.none') }));
    this.inputs.set('visit_every_weeks', h('input', { name: 'visit_every_weeks', type: 'number', min: '1', max: '104', step: '1' }));
    this.inputs.set('tags', h('input', { name: 'tags', type: 'text', autocomplete: 'off' }));
    this.input('country').setAttribute('placeholder', 'France');

    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('form.save'));
    const editing = options.accountId !== null;
    this.duplicates = new DuplicateWarning({
      recordType: 'account',
      values: () => Object.fromEntries([...this.inputs].map(([name, input]) => [name, input.value])),
      self: () => options.accountId,
    });
    this.duplicates.watch(...['name', 'siret', 'email', 'phone', 'postal_code', 'city'].map((name) => this.input(name)));

    this.form = h(
      'form',
      { id: 'account-form', class: 'card record-form', novalidate: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h('h1', { class: 'page-title' }, editing ? t('form.editAccount') : t('form.newAccount')),
      this.section('form.identity', ['name', 'kind', 'siret', 'sector', 'tags']),
      this.section('form.location', ['address', 'postal_code', 'city', 'country']),
      this.section('form.contactDetails', ['phone', 'email', 'website']),
      this.section('form.followUp', ['parent', 'distributor', 'visit_every_weeks']),
      this.duplicates.el,
      this.error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary', on: { click: () => options.onCancel() } }, t('form.cancel')),
        this.submit,
      ),
    );
    this.el = h('section', { class: 'page' }, this.form);

    void this.loadAccounts(options.accountId);
    if (options.accountId) void this.load(options.accountId);
    else {
      if (options.phone) this.input('phone').value = options.phone;
      queueMicrotask(() => this.input('name').focus());
    }
  }

  private section(titleKey: MessageKey, names: string[]): HTMLElement {
    return h(
      'fieldset',
      { class: 'form-section' },
      h('legend', {}, t(titleKey)),
      h(
        'div',
        { class: 'form-grid' },
        ...names.map((name) => {
          const wide = name === 'tags' || TEXT_FIELDS.find((f) => f.name === name)?.wide;
          const label = t(`field.${name}` as MessageKey);
          const hint = name === 'tags' ? t('field.tagsHint') : name === 'visit_every_weeks' ? t('field.visitEveryWeeksHint') : undefined;
          return formField(label, this.input(name), { wide: Boolean(wide), hint });
        }),
      ),
    );
  }

  private input(name: string): HTMLInputElement | HTMLSelectElement {
    const input = this.inputs.get(name);
    if (!input) throw new Error(`no input named ${name}`);
    return input;
  }

  /** The choices of group and distributor: other accounts; distributors for the latter. */
  private async loadAccounts(self: string | null): Promise<void> {
    const accounts = (await api.listAccounts().catch((): Account[] => [])).filter((a) => a.id !== self);
    const parent = this.input('parent') as HTMLSelectElement;
    const distributor = this.input('distributor') as HTMLSelectElement;
    setAccounts(parent, accounts, this.original?.parent ?? parent.value);
    setAccounts(
      distributor,
      accounts.filter((a) => a.kind === 'distributor' || a.id === this.original?.distributor),
      this.original?.distributor ?? distributor.value,
    );
  }

  private async load(id: string): Promise<void> {
    this.form.inert = true;
    try {
      const account = await api.accountView(id);
      this.original = account;
      await this.loadAccounts(id);
      for (const [name, input] of this.inputs) {
        const value = (account as unknown as Record<string, unknown>)[name];
        input.value = Array.isArray(value) ? value.join(', ') : value == null ? '' : String(value);
      }
      this.form.inert = false;
      this.input('name').focus();
    } catch (reason) {
      this.form.inert = false;
      this.error.show(reason instanceof ApiError ? reason.message : String(reason));
    }
  }

  /** The form's values: trimmed strings, null when empty, `tags` as an array. */
  private values(): Fields {
    const fields: Fields = {};
    for (const [name, input] of this.inputs) {
      const text = input.value.trim();
      if (name === 'tags') {
        fields[name] = text.split(',').map((tag) => tag.trim()).filter(Boolean);
      } else {
        fields[name] = text === '' ? null : text;
      }
    }
    return fields;
  }

  private async save(): Promise<void> {
    this.error.clear();
    const values = this.values();
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        const saved = this.original ? await this.saveEdit(this.original, values) : await this.saveNew(values);
        this.options.onSaved(saved);
      } catch (reason) {
        this.error.showFor(reason, this.form);
      }
    });
  }

  private async saveNew(values: Fields): Promise<Account> {
    // A new record carries only what was typed.
    const fields: Fields = {};
    for (const [name, value] of Object.entries(values)) {
      if (value === null || (Array.isArray(value) && value.length === 0)) continue;
      fields[name] = value;
    }
    return api.createRecord<Account>('account', fields);
  }

  private async saveEdit(original: Account, values: Fields): Promise<Account> {
    const changed: Fields = {};
    for (const [name, value] of Object.entries(values)) {
      if (!sameValue((original as unknown as Record<string, unknown>)[name], value)) changed[name] = value;
    }
    if (Object.keys(changed).length === 0) return original;
    return api.editRecord<Account>(original.id, changed);
  }
}

function sameValue(before: unknown, after: string | string[] | null): boolean {
  if (Array.isArray(after)) {
    const old = Array.isArray(before) ? before.map(String) : [];
    return old.length === after.length && [...old].sort().join('\u0000') === [...after].sort().join('\u0000');
  }
  const old = before === undefined || before === null || before === '' ? null : String(before);
  return old === after;
}
