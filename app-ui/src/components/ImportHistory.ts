//! « Imports précédents »: the imports made on this device, newest first, each with its
//! file, date, what it brought in, its counts, « annulé le … » once undone, and
//! otherwise « Annuler cet import », asked once.

import { api, type ImportSummary, type UndoReport } from '../api';
import { h, replaceChildren } from '../dom';
import { formatDateTime, recordTypeLabel } from '../format';
import { IMPORT_TYPES, importTypeLabel, keptFileName, undoText } from '../importWizard';
import { t, tCount } from '../i18n';
import { ConfirmBar } from './ConfirmBar';
import { FormError, messageOf, whileBusy } from './FormField';
import { showEmpty } from './ListCard';

export class ImportHistory {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly notice: HTMLElement;
  private readonly error = new FormError();
  private readonly confirm = new ConfirmBar('import-history-confirm');

  /** `undo` undoes an import with its progress; the caller refreshes this list. */
  constructor(private readonly undo: (batch: string) => Promise<UndoReport>) {
    this.list = h('ul', { id: 'import-history', class: 'item-list' });
    this.notice = h('p', { id: 'import-history-notice', class: 'form-notice', role: 'status', hidden: true });
    this.el = h(
      'section',
      { id: 'import-history-card', class: 'card', 'aria-labelledby': 'import-history-title' },
      h('div', { class: 'card-header' }, h('h2', { id: 'import-history-title' }, t('import.history'))),
      this.confirm.el,
      this.notice,
      this.error.el,
      this.list,
    );
    showEmpty(this.list, t('account.loading'));
  }

  async refresh(): Promise<void> {
    try {
      const imports = await api.importList();
      this.error.clear();
      if (imports.length === 0) showEmpty(this.list, t('import.historyEmpty'));
      else replaceChildren(this.list, ...imports.map((summary) => this.row(summary)));
    } catch (reason) {
      this.error.show(t('import.loadError', { message: messageOf(reason) }));
    }
  }

  /** Says what an undo did, wherever it was asked. */
  tellUndone(report: UndoReport): void {
    this.notice.textContent = undoText(report);
    this.notice.hidden = false;
  }

  private row(summary: ImportSummary): HTMLElement {
    const type = (IMPORT_TYPES as readonly string[]).includes(summary.type)
      ? importTypeLabel(summary.type as (typeof IMPORT_TYPES)[number])
      : recordTypeLabel(summary.type);
    const when = (ms: number) => formatDateTime(new Date(ms).toISOString());
    const undo = summary.undone_at_ms === null
      ? h('button', { type: 'button', class: 'button button-secondary button-small import-history-undo', dataset: { batch: summary.batch } }, t('import.undo'))
      : null;
    undo?.addEventListener('click', () => void this.askUndo(summary, undo));
    return h(
      'li',
      { class: summary.undone_at_ms === null ? 'item-row import-summary' : 'item-row import-summary undone', dataset: { batch: summary.batch } },
      h(
        'div',
        { class: 'item-main' },
        h('span', { class: 'item-title import-file' }, keptFileName(summary.file)),
        h(
          'span',
          { class: 'item-meta' },
          h('span', {}, when(summary.at_ms)),
          h('span', { class: 'tag' }, type),
          h('span', {}, `${tCount('import.created', summary.created)}, ${tCount('import.updated', summary.updated)}`),
          summary.undone_at_ms !== null ? h('span', { class: 'import-undone-tag' }, t('import.undoneAt', { date: when(summary.undone_at_ms) })) : null,
        ),
      ),
      undo,
    );
  }

  private async askUndo(summary: ImportSummary, button: HTMLButtonElement): Promise<void> {
    this.error.clear();
    this.notice.hidden = true;
    const yes = await this.confirm.ask({
      question: t('import.undoConfirmFile', { file: keptFileName(summary.file) }),
      yesLabel: t('import.undoYes'),
      yesId: 'import-history-undo-yes',
      noId: 'import-history-undo-no',
      danger: true,
    });
    if (!yes) return;
    await whileBusy(button, t('import.undoing'), async () => {
      try {
        await this.undo(summary.batch);
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}
