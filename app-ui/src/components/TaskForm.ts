//! The "Nouvelle tâche" form: title, due date, optional account. The backend assigns the
//! task to the signed-in user.

import { api, type Account, type Fields, type Task } from '../api';
import { h } from '../dom';
import { todayYmd } from '../format';
import { t } from '../i18n';
import { accountSelect, setAccounts } from './AccountSelect';
import { FormError, formField, messageOf, whileBusy } from './FormField';

export class TaskForm {
  readonly el: HTMLFormElement;
  private readonly title: HTMLInputElement;
  private readonly due: HTMLInputElement;
  private readonly account: HTMLSelectElement;
  private readonly error = new FormError();
  private readonly submit: HTMLButtonElement;

  constructor(private readonly onCreated: (task: Task) => void, private readonly onCancel: () => void) {
    this.title = h('input', { name: 'title', type: 'text', autocomplete: 'off', placeholder: t('tasks.titlePlaceholder') });
    this.due = h('input', { name: 'due', type: 'date' });
    this.account = accountSelect({ emptyLabel: t('form.none') });
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('form.save'));
    this.el = h(
      'form',
      { id: 'task-form', class: 'inline-form', novalidate: true, hidden: true, on: { submit: (event) => { event.preventDefault(); void this.save(); } } },
      h(
        'div',
        { class: 'form-grid' },
        formField(t('field.task.title'), this.title, { wide: true }),
        formField(t('field.due'), this.due),
        formField(t('field.account'), this.account),
      ),
      this.error.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary', on: { click: () => { this.close(); this.onCancel(); } } }, t('form.cancel')),
        this.submit,
      ),
    );
  }

  open(accounts: Account[]): void {
    setAccounts(this.account, accounts, '');
    this.due.value = todayYmd();
    this.error.clear();
    this.el.hidden = false;
    this.title.focus();
  }

  close(): void {
    this.el.reset();
    this.error.clear();
    this.el.hidden = true;
  }

  private async save(): Promise<void> {
    this.error.clear();
    const fields: Fields = {};
    if (this.title.value.trim()) fields.title = this.title.value.trim();
    if (this.due.value) fields.due = this.due.value;
    if (this.account.value) fields.account = this.account.value;
    await whileBusy(this.submit, t('form.saving'), async () => {
      try {
        const task = await api.createRecord<Task>('task', fields);
        this.close();
        this.onCreated(task);
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}
