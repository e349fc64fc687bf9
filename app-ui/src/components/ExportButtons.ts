//! « Exporter (Excel) » and « CSV » (and « vCard » for contacts) beside a list: the rows
//! shown, as filtered, are written to a file in the user's documents; a notice says
//! where, with « Ouvrir » to open it at once with the system's application.

import { api, type RecordType } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { FormError, messageOf, whileBusy } from './FormField';

export interface ExportOptions {
  /** Prefix of the buttons' ids: `<id>-xlsx`, `<id>-csv`, `<id>-vcard`, `<id>-notice`. */
  id: string;
  recordType: RecordType;
  /** The ids of the rows shown now, in their order (read at the click). */
  ids: () => string[];
  /** Contacts: also as vCards. */
  vcard?: boolean;
}

/** How long the notice stays, long enough to click « Ouvrir ». */
const NOTICE_MS = 20000;

export class ExportButtons {
  readonly el: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly error = new FormError();
  private noticeTimer: number | undefined;

  constructor(private readonly options: ExportOptions) {
    const button = (format: 'xlsx' | 'csv' | 'vcard', label: string, title: string) => {
      const element = h('button', { id: `${options.id}-${format}`, type: 'button', class: 'button button-secondary button-small', title }, label);
      element.addEventListener('click', () => void this.export(format, element));
      return element;
    };
    // A toast: it never moves the list under the pointer.
    this.notice = h('p', { id: `${options.id}-notice`, class: 'toast', role: 'status', hidden: true });
    this.el = h(
      'div',
      { id: options.id, class: 'button-row export-buttons', role: 'group', 'aria-label': t('export.label') },
      button('xlsx', t('export.excel'), t('export.excelTitle')),
      button('csv', t('export.csv'), t('export.csvTitle')),
      options.vcard ? button('vcard', t('export.vcard'), t('export.vcardTitle')) : null,
      this.error.el,
      this.notice,
    );
  }

  private async export(format: 'xlsx' | 'csv' | 'vcard', button: HTMLButtonElement): Promise<void> {
    this.error.clear();
    const ids = this.options.ids();
    if (ids.length === 0) {
      this.error.show(t('export.nothing'));
      return;
    }
    await whileBusy(button, t('export.exporting'), async () => {
      try {
        const path = format === 'vcard' ? await api.exportVcard(ids) : await api.exportList(this.options.recordType, ids, format);
        this.showSaved(path);
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }

  /** Where the file went, and the way to open it. */
  private showSaved(path: string): void {
    const open = h('button', { id: `${this.options.id}-open`, type: 'button', class: 'link-button' }, t('export.open'));
    open.addEventListener('click', () => {
      api.openExport(path).catch((reason: unknown) => this.error.show(messageOf(reason)));
    });
    replaceChildren(this.notice, h('span', {}, t('export.saved', { path })), ' ', open);
    this.notice.hidden = false;
    window.clearTimeout(this.noticeTimer);
    this.noticeTimer = window.setTimeout(() => (this.notice.hidden = true), NOTICE_MS);
  }
}
