//! What an import did, or would do on « Vérifier »: the counts (created, updated,
//! unchanged, duplicates left out, rows refused), the refused rows (row, column, reason;
//! the first 200, then « … et N autres »), « Ouvrir » for the file of refused rows to
//! fix, and « Annuler cet import », asked once, which then says what the undo did.

import { api, type ImportReport, type UndoReport } from '../api';
import { h, replaceChildren } from '../dom';
import { errorsShown, undoText } from '../importWizard';
import { t, type MessageKey } from '../i18n';
import { ConfirmBar } from './ConfirmBar';
import { FormError, messageOf, whileBusy } from './FormField';

export interface ImportResultActions {
  /** Undoes the import `batch` (with its progress); the caller refreshes what it shows. */
  undo: (batch: string) => Promise<UndoReport>;
}

const COUNTS: ReadonlyArray<[key: MessageKey, count: (report: ImportReport) => number, name: string]> = [
  ['import.count.rows', (r) => r.rows, 'rows'],
  ['import.count.created', (r) => r.created, 'created'],
  ['import.count.updated', (r) => r.updated, 'updated'],
  ['import.count.unchanged', (r) => r.unchanged, 'unchanged'],
  ['import.count.duplicates', (r) => r.duplicates, 'duplicates'],
  ['import.count.errors', (r) => new Set(r.errors.map((e) => e.row)).size, 'errors'],
];

export class ImportResult {
  readonly el: HTMLElement;
  private readonly error = new FormError();
  private readonly confirm = new ConfirmBar('import-undo-confirm');
  private report: ImportReport | null = null;
  private undoButton: HTMLButtonElement | null = null;
  private undone: HTMLElement | null = null;

  constructor(private readonly actions: ImportResultActions) {
    this.el = h('section', { id: 'import-result', class: 'card import-result', 'aria-live': 'polite', hidden: true });
  }

  hide(): void {
    this.report = null;
    this.confirm.cancel();
    this.el.hidden = true;
    replaceChildren(this.el);
  }

  show(report: ImportReport): void {
    this.report = report;
    this.confirm.cancel();
    this.error.clear();
    const { shown, more } = errorsShown(report.errors);
    const written = !report.dry_run && report.batch !== null;
    this.undoButton = written
      ? h('button', { id: 'import-undo', type: 'button', class: 'button button-secondary', on: { click: () => void this.undo() } }, t('import.undo'))
      : null;
    this.undone = h('p', { id: 'import-undone', class: 'form-notice', role: 'status', hidden: true });
    replaceChildren(
      this.el,
      h('div', { class: 'card-header' }, h('h2', { id: 'import-result-title' }, t(report.dry_run ? 'import.dryRunTitle' : 'import.doneTitle')), this.undoButton),
      report.dry_run ? h('p', { class: 'page-help' }, t('import.dryRunHelp')) : null,
      !report.dry_run && !written ? h('p', { class: 'muted' }, t('import.nothingWritten')) : null,
      h(
        'dl',
        { id: 'import-counts', class: 'import-counts' },
        ...COUNTS.map(([key, count, name]) => h('div', { class: 'import-count' }, h('dt', {}, t(key)), h('dd', { dataset: { count: name } }, String(count(report))))),
      ),
      this.confirm.el,
      this.undone,
      this.error.el,
      shown.length > 0 ? this.errorsTable(shown, more) : null,
      report.error_file ? this.errorFile(report.error_file) : null,
    );
    this.el.hidden = false;
  }

  /** An import was undone (here or from the list): its result says so. */
  markUndone(batch: string, report: UndoReport): void {
    if (this.report?.batch !== batch || !this.undone) return;
    if (this.undoButton) this.undoButton.hidden = true;
    this.undone.textContent = undoText(report);
    this.undone.hidden = false;
  }

  private errorsTable(shown: ImportReport['errors'], more: number): HTMLElement {
    return h(
      'div',
      { class: 'import-errors' },
      h('h3', { class: 'review-subtitle' }, t('import.errors')),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { id: 'import-errors', class: 'data-table' },
          h('thead', {}, h('tr', {}, h('th', { class: 'numeric' }, t('import.errorRow')), h('th', {}, t('import.errorColumn')), h('th', {}, t('import.errorMessage')))),
          h(
            'tbody',
            {},
            ...shown.map((error) =>
              h('tr', { dataset: { row: String(error.row) } }, h('td', { class: 'numeric' }, String(error.row)), h('td', {}, error.column || '—'), h('td', {}, error.message)),
            ),
          ),
        ),
      ),
      more > 0 ? h('p', { id: 'import-errors-more', class: 'muted' }, t('import.errorsMore', { count: more })) : null,
    );
  }

  private errorFile(path: string): HTMLElement {
    const open = h('button', { id: 'import-open-errors', type: 'button', class: 'button button-secondary button-small' }, t('import.openErrors'));
    open.addEventListener('click', () => {
      api.openExport(path).catch((reason: unknown) => this.error.show(messageOf(reason)));
    });
    return h('div', { class: 'inline-action import-error-file' }, h('p', { class: 'muted' }, t('import.errorFile', { path })), open);
  }

  private async undo(): Promise<void> {
    const batch = this.report?.batch;
    const button = this.undoButton;
    if (!batch || !button) return;
    this.error.clear();
    const yes = await this.confirm.ask({
      question: t('import.undoConfirm'),
      yesLabel: t('import.undoYes'),
      yesId: 'import-undo-yes',
      noId: 'import-undo-no',
      danger: true,
    });
    if (!yes) return;
    await whileBusy(button, t('import.undoing'), async () => {
      try {
        await this.actions.undo(batch);
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
  }
}
