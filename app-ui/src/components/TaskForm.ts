//! The "Nouvelle tâche" form: title, due date, optional account. The backend assigns the
//! task to the signed-in user.

import { api, type Account, type Fields, type Task } from '../api';
import { h } from '../dom';
import { todayYmd } from '../format';
import { t } from '../i18n';
import { accountSelect, setAccounts } from './AccountSelect';
import { formField } from './FormField';
import { FormShell } from './FormShell';

export class TaskForm {
  readonly el: HTMLFormElement;
  private readonly title: HTMLInputElement;
  private readonly due: HTMLInputElement;
  private readonly account: HTMLSelectElement;
  private readonly shell: FormShell;

  constructor(private readonly onCreated: (task: Task) => void, private readonly onCancel: () => void) {
    this.title = h('input', { name: 'title', type: 'text', autocomplete: 'off', placeholder: t('tasks.titlePlaceholder') });
    this.due = h('input', { name: 'due', type: 'date' });
    this.account = accountSelect({ emptyLabel: t('form.none') });
    this.shell = new FormShell(
      { id: 'task-form', class: 'inline-form' },
      { onSubmit: () => void this.save(), onCancel: () => { this.close(); this.onCancel(); } },
      h(
        'div',
        { class: 'form-grid' },
        formField(t('field.task.title'), this.title, { wide: true }),
        formField(t('field.due'), this.due),
        formField(t('field.account'), this.account),
      ),
    );
    this.el = this.shell.el;
  }

  open(accounts: Account[]): void {
    setAccounts(this.account, accounts, '');
    this.due.value = todayYmd();
    this.shell.error.clear();
    this.el.hidden = false;
    this.title.focus();
  }

  close(): void {
    this.shell.close();
  }

  private async save(): Promise<void> {
    const fields: Fields = {};
    if (this.title.value.trim()) fields.title = this.title.value.trim();
    if (this.due.value) fields.due = this.due.value;
    if (this.account.value) fields.account = this.account.value;
    await this.shell.save(() => api.createRecord<Task>('task', fields), () => this.close(), (task) => this.onCreated(task));
  }
}
