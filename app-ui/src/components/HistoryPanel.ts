//! "Historique des modifications" of one record: a collapsed card that loads
//! `record_history` when opened (and again after a sync while it stays open) and lists the
//! changes newest first: when, who, and each field set (« champ : valeur ») or cleared
//! (« champ effacé »).

import { api, type HistoryEntry } from '../api';
import { h, replaceChildren } from '../dom';
import {
  billingPeriodLabel,
  contractTypeLabel,
  dealTypeLabel,
  fieldLabel,
  formatDateTime,
  formatDateTimeLong,
  priorityLabel,
  stageLabel,
} from '../format';
import { t } from '../i18n';
import { Reloader } from '../reload';
import { messageOf } from './FormField';
import { showEmpty } from './ListCard';
import { isNotOnDevice } from './RecordPage';

/** Longer values are cut, the whole text staying in the tooltip. */
const MAX_VALUE_LENGTH = 120;

/** Fields whose stored ids have a label to show instead. */
const VALUE_LABELS: Record<string, (value: string) => string> = {
  stage: (value) => stageLabel(value),
  deal_type: dealTypeLabel,
  priority: priorityLabel,
  contract_type: contractTypeLabel,
  billing_period: billingPeriodLabel,
};

export class HistoryPanel {
  readonly el: HTMLDetailsElement;
  private readonly list: HTMLOListElement;
  private failed = false;
  private readonly reloader = new Reloader((reason) => this.showError(reason));

  constructor(private readonly recordId: string) {
    this.list = h('ol', { class: 'history-list' });
    this.el = h(
      'details',
      { class: 'card history-panel', dataset: { id: recordId } },
      h('summary', { class: 'history-summary' }, h('h2', {}, t('history.title'))),
      this.list,
    );
    this.el.addEventListener('toggle', () => {
      if (this.el.open) void this.load(true);
    });
  }

  /** Reloads after a sync while the panel is open; a closed panel loads when opened. */
  async refresh(): Promise<void> {
    if (this.el.open) await this.load(false);
  }

  private async load(force: boolean): Promise<void> {
    if (this.list.childElementCount === 0) showEmpty(this.list, t('history.loading'));
    await this.reloader.run(force || this.failed, async () => {
      const entries = await api.recordHistory(this.recordId);
      return {
        shown: entries,
        show: () => {
          this.failed = false;
          this.render(entries);
        },
      };
    });
  }

  private showError(reason: unknown): void {
    this.failed = true;
    const message = messageOf(reason);
    const text = isNotOnDevice(message) ? t('record.notOnDevice') : t('history.error', { message });
    replaceChildren(this.list, h('li', { class: 'form-error history-error', role: 'alert' }, text));
  }

  private render(entries: HistoryEntry[]): void {
    if (entries.length === 0) {
      showEmpty(this.list, t('history.empty'));
      return;
    }
    replaceChildren(this.list, ...newestFirst(entries).map((entry) => this.entry(entry)));
  }

  private entry(entry: HistoryEntry): HTMLElement {
    const fields = Object.entries(entry.fields ?? {});
    const user = userLabel(entry.user);
    return h(
      'li',
      { class: 'history-entry', dataset: { change: entry.change, at: entry.at } },
      h(
        'div',
        { class: 'history-entry-header' },
        h('time', { class: 'history-entry-date', datetime: entry.at, title: formatDateTimeLong(entry.at) }, formatDateTime(entry.at)),
        h('span', { class: 'history-entry-user', title: user === entry.user ? null : entry.user }, user),
      ),
      fields.length === 0
        ? h('p', { class: 'history-no-fields muted' }, t('history.noFields'))
        : h('ul', { class: 'history-changes' }, ...fields.map(([field, value]) => change(field, value))),
    );
  }
}

/** Oldest first as the backend sends them, reversed; entries at the same time keep that order. */
function newestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  const time = (entry: HistoryEntry) => {
    const ms = new Date(entry.at).getTime();
    return Number.isNaN(ms) ? 0 : ms;
  };
  return [...entries].reverse().sort((a, b) => time(b) - time(a));
}

/** "server" and "device <uuid>" in words; a user's name as it is. */
function userLabel(user: string): string {
  if (user === 'server') return t('history.server');
  const device = /^device\s+(\S+)$/.exec(user);
  if (device) return t('history.device', { id: (device[1] ?? '').slice(0, 8) });
  return user;
}

function change(field: string, value: string | string[] | null): HTMLElement {
  const label = fieldLabel(field);
  if (value === null) {
    return h('li', { class: 'history-change cleared', dataset: { field } }, t('history.cleared', { field: label }));
  }
  const text = valueText(field, value);
  const shown = truncate(text);
  return h(
    'li',
    { class: 'history-change', dataset: { field }, title: shown === text ? null : text },
    t('history.set', { field: label, value: shown }),
  );
}

function valueText(field: string, value: string | string[]): string {
  if (Array.isArray(value)) return value.length === 0 ? t('conflicts.emptyValue') : value.join(', ');
  if (value === '') return t('conflicts.emptyValue');
  if (value === 'yes') return t('common.yes');
  if (value === 'no') return t('common.no');
  const label = VALUE_LABELS[field];
  return label ? label(value) : value;
}

function truncate(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_VALUE_LENGTH) return text;
  return `${chars.slice(0, MAX_VALUE_LENGTH - 1).join('').trimEnd()}…`;
}
