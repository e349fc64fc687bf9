//! "Historique des modifications" of one record: a collapsed card that loads
//! `record_history` when opened (and again after a sync while it stays open) and lists the
//! changes newest first: when, who, and each field set (« champ : valeur ») or cleared
//! (« champ effacé »).

import { api, type HistoryEntry, type RecordType } from '../api';
import { h, replaceChildren } from '../dom';
import { fieldLabel, fieldValueText, formatDateTime, formatDateTimeLong } from '../format';
import { t } from '../i18n';
import { Reloader } from '../reload';
import { messageOf } from './FormField';
import { showEmpty } from './ListCard';
import { isNotOnDevice } from './RecordPage';
import { RecordNames } from './RecordNames';

/** Longer values are cut, the whole text staying in the tooltip. */
const MAX_VALUE_LENGTH = 120;

export class HistoryPanel {
  readonly el: HTMLDetailsElement;
  private readonly list: HTMLOListElement;
  private failed = false;
  private readonly reloader = new Reloader((reason) => this.showError(reason));

  /** `recordType` gives the values of its fixed lists their words. */
  constructor(
    private readonly recordId: string,
    private readonly recordType: RecordType,
  ) {
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
      // Ids of people and linked records shown by name, never as ids.
      const names = await RecordNames.load(
        entries.flatMap((entry) => Object.entries(entry.fields)),
        null,
      );
      return {
        shown: entries,
        show: () => {
          this.failed = false;
          this.render(entries, names);
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

  private render(entries: HistoryEntry[], names: RecordNames): void {
    if (entries.length === 0) {
      showEmpty(this.list, t('history.empty'));
      return;
    }
    replaceChildren(this.list, ...newestFirst(entries).map((entry) => this.entry(entry, names)));
  }

  private change(field: string, value: string | string[] | null, names: RecordNames): HTMLElement {
    return change(field, value, this.recordType, names);
  }

  private entry(entry: HistoryEntry, names: RecordNames): HTMLElement {
    const fields = Object.entries(entry.fields ?? {});
    const user = authorLabel(entry);
    return h(
      'li',
      { class: 'history-entry', dataset: { change: entry.change, at: entry.at } },
      h(
        'div',
        { class: 'history-entry-header' },
        h('time', { class: 'history-entry-date', datetime: entry.at, title: formatDateTimeLong(entry.at) }, formatDateTime(entry.at)),
        h('span', { class: 'history-entry-user', title: entry.author.kind === 'user' ? null : entry.device }, user),
      ),
      fields.length === 0
        ? h('p', { class: 'history-no-fields muted' }, t('history.noFields'))
        : h('ul', { class: 'history-changes' }, ...fields.map(([field, value]) => this.change(field, value ?? null, names))),
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

/** Who made the change: a user's name, the server, or a device the directory does not know. */
function authorLabel(entry: HistoryEntry): string {
  switch (entry.author.kind) {
    case 'user':
      return entry.author.name;
    case 'server':
      return t('history.server');
    case 'unknown_device':
      return t('history.device', { id: entry.device.slice(0, 8) });
  }
}

function change(field: string, value: string | string[] | null, type: RecordType, names: RecordNames): HTMLElement {
  const label = fieldLabel(field, type);
  if (value === null) {
    return h('li', { class: 'history-change cleared', dataset: { field } }, t('history.cleared', { field: label }));
  }
  const text = fieldValueText(field, value, { type, nameOf: names.nameOf });
  const shown = truncate(text);
  return h(
    'li',
    { class: 'history-change', dataset: { field }, title: shown === text ? null : text },
    t('history.set', { field: label, value: shown }),
  );
}

function truncate(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_VALUE_LENGTH) return text;
  return `${chars.slice(0, MAX_VALUE_LENGTH - 1).join('').trimEnd()}…`;
}
