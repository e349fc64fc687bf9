//! « Importer »: the wizard that brings in another system's spreadsheets, in one page.
//! Choose what to import (accounts, contacts, contracts, products, past activities: the
//! types the role may create or update) and a file; the sheet when it has several; check
//! each column's field (`ImportMapping`), the mode and how existing records are
//! recognised; « Vérifier » shows what the import would do, « Importer » does it, a bar
//! showing the progress (`ImportProgressBar`); the result (`ImportResult`) offers the
//! file of refused rows and the undo. A vCard (.vcf) brings in contacts as it is. Below,
//! the earlier imports (`ImportHistory`). The core reads, checks and writes, offline.

import { api, type ImportOptions, type ImportPreview, type MatchKey, type ImportMode, type UndoReport } from '../api';
import { h, replaceChildren } from '../dom';
import { defaultMatchKey, IMPORT_TYPES, importTypeLabel, isVcard, mappingOption, matchKeyLabel, matchKeysFor, type ImportType } from '../importWizard';
import { t, type MessageKey } from '../i18n';
import { may } from '../session';
import { formField, FormError, messageOf, whileBusy } from './FormField';
import { ImportHistory } from './ImportHistory';
import { ImportMapping } from './ImportMapping';
import { ImportProgressBar } from './ImportProgressBar';
import { ImportResult } from './ImportResult';

/** What the file input takes; contacts also come as vCards. */
const SPREADSHEETS = '.xlsx,.xls,.ods,.csv,.txt';

export interface ImportPageActions {
  /** Records were written or taken back: the portfolio changed. */
  onChanged: () => void;
}

/** The file chosen, as the backend keeps it. */
interface Kept {
  name: string;
  vcard: boolean;
}

export class ImportPage {
  readonly el: HTMLElement;
  private readonly type: HTMLSelectElement;
  private readonly file: HTMLInputElement;
  private readonly fileStatus: HTMLElement;
  private readonly sheet: HTMLSelectElement;
  private readonly sheetField: HTMLElement;
  private readonly settings: HTMLElement;
  private readonly vcardHint: HTMLElement;
  private readonly options: HTMLElement;
  private readonly mode: HTMLSelectElement;
  private readonly match: HTMLSelectElement;
  private readonly checkButton: HTMLButtonElement;
  private readonly runButton: HTMLButtonElement;
  private readonly error = new FormError();
  private readonly mapping: ImportMapping;
  private readonly progress = new ImportProgressBar();
  private readonly result: ImportResult;
  private readonly history: ImportHistory;
  private readonly types: ImportType[];
  private kept: Kept | null = null;
  private preview: ImportPreview | null = null;
  /** Increases with every file or type chosen, so a slow answer never replaces a newer one. */
  private generation = 0;

  constructor(private readonly actions: ImportPageActions) {
    // Only what the role may create or update (the permission matrix of crm-core).
    this.types = IMPORT_TYPES.filter((type) => may('create', type) || may('edit', type));
    this.type = h(
      'select',
      { id: 'import-type', name: 'type', on: { change: () => void this.typeChanged() } },
      ...this.types.map((type) => h('option', { value: type }, importTypeLabel(type))),
    );
    this.file = h('input', { id: 'import-file', name: 'file', type: 'file', accept: SPREADSHEETS, on: { change: () => void this.fileChosen() } });
    this.fileStatus = h('p', { id: 'import-file-status', class: 'muted', 'aria-live': 'polite', hidden: true });
    this.sheet = h('select', { id: 'import-sheet', name: 'sheet', on: { change: () => void this.loadPreview(this.sheet.value) } });
    this.sheetField = formField(t('import.sheet'), this.sheet);
    this.sheetField.hidden = true;
    this.mode = h('select', { id: 'import-mode', name: 'mode', on: { change: () => this.invalidate() } });
    this.match = h('select', { id: 'import-match', name: 'match', on: { change: () => this.invalidate() } });
    this.mapping = new ImportMapping(() => this.invalidate());
    this.checkButton = h('button', { id: 'import-check', type: 'button', class: 'button button-secondary' }, t('import.check'));
    this.checkButton.addEventListener('click', () => void this.run(true));
    this.runButton = h('button', { id: 'import-run', type: 'button', class: 'button button-primary', disabled: true }, t('import.run'));
    this.runButton.addEventListener('click', () => void this.run(false));
    this.vcardHint = h('p', { id: 'import-vcard-hint', class: 'callout', hidden: true }, t('import.vcard'));
    this.options = h(
      'fieldset',
      { class: 'form-section import-options' },
      h('legend', {}, t('import.options')),
      h('div', { class: 'form-grid' }, formField(t('import.mode'), this.mode), formField(t('import.match'), this.match)),
    );
    this.error.el.id = 'import-error';
    this.settings = h(
      'section',
      { id: 'import-settings', class: 'card import-settings', hidden: true },
      this.vcardHint,
      this.mapping.el,
      this.options,
      this.error.el,
      h('div', { class: 'form-actions' }, this.checkButton, this.runButton),
    );
    const undo = (batch: string) => this.undo(batch);
    this.result = new ImportResult({ undo });
    this.history = new ImportHistory(async (batch) => {
      const report = await undo(batch);
      this.history.tellUndone(report);
      return report;
    });
    this.el = h(
      'section',
      { id: 'import-page', class: 'page' },
      h('div', { class: 'page-header' }, h('div', {}, h('h1', { class: 'page-title' }, t('import.title')))),
      h('p', { class: 'page-help' }, t('import.help')),
      this.types.length > 0
        ? h(
            'section',
            { id: 'import-source', class: 'card' },
            h(
              'div',
              { class: 'form-grid' },
              formField(t('import.what'), this.type),
              formField(t('import.file'), this.file, { hint: t('import.fileHint') }),
              this.sheetField,
            ),
            this.fileStatus,
          )
        : h('p', { class: 'callout' }, t('import.notAllowed')),
      this.settings,
      this.progress.el,
      this.result.el,
      this.history.el,
    );
    void this.typeChanged(false);
    void this.history.refresh();
  }

  /** After a sync: only the list of imports may have changed; the wizard stays as it is. */
  async refresh(): Promise<void> {
    await this.history.refresh();
  }

  private chosenType(): ImportType {
    return (this.type.value || 'account') as ImportType;
  }

  /** Another type: its file formats, modes and keys; the file is read again for it. */
  private async typeChanged(reload = true): Promise<void> {
    const type = this.chosenType();
    this.file.accept = type === 'contact' ? `${SPREADSHEETS},.vcf` : SPREADSHEETS;
    const modes: ImportMode[] = [];
    if (may('create', type)) modes.push('create');
    if (may('edit', type)) modes.push('update');
    if (modes.length === 2) modes.push('upsert');
    replaceChildren(this.mode, ...modes.map((mode) => h('option', { value: mode }, t(`import.mode.${mode}` as MessageKey))));
    this.mode.value = modes.includes('upsert') ? 'upsert' : (modes[0] ?? '');
    if (!reload || !this.kept) return;
    if (this.kept.vcard && type !== 'contact') {
      // A vCard holds contacts only: the file is chosen again for another type.
      this.forgetFile();
      return;
    }
    if (!this.kept.vcard) await this.loadPreview(this.preview?.sheet ?? null);
  }

  /** A file was chosen: kept by the backend, then read (a vCard needs no columns). */
  private async fileChosen(): Promise<void> {
    const generation = ++this.generation;
    const file = this.file.files?.[0];
    this.kept = null;
    this.preview = null;
    this.settings.hidden = true;
    this.result.hide();
    this.error.clear();
    if (!file) {
      this.fileStatus.hidden = true;
      return;
    }
    const vcard = isVcard(file.name);
    if (vcard && this.chosenType() !== 'contact') {
      if (!this.types.includes('contact')) {
        this.showFileProblem(t('import.vcard'));
        return;
      }
      this.type.value = 'contact';
      await this.typeChanged(false);
    }
    this.fileStatus.textContent = t('import.reading');
    this.fileStatus.hidden = false;
    try {
      const name = await api.importUpload(file);
      if (generation !== this.generation) return;
      this.kept = { name, vcard };
      if (vcard) this.showVcard();
      else await this.loadPreview(null);
    } catch (reason) {
      if (generation === this.generation) this.showFileProblem(messageOf(reason));
    }
  }

  private forgetFile(): void {
    this.generation++;
    this.file.value = '';
    this.kept = null;
    this.preview = null;
    this.settings.hidden = true;
    this.sheetField.hidden = true;
    this.fileStatus.hidden = true;
    this.result.hide();
  }

  private showFileProblem(message: string): void {
    this.fileStatus.hidden = true;
    this.settings.hidden = false;
    this.vcardHint.hidden = true;
    this.mapping.el.hidden = true;
    this.options.hidden = true;
    this.checkButton.hidden = true;
    this.runButton.hidden = true;
    this.error.show(message);
  }

  /** Reads the kept file's sheet (the first when null) as a table to map. */
  private async loadPreview(sheet: string | null): Promise<void> {
    const kept = this.kept;
    if (!kept || kept.vcard) return;
    const generation = ++this.generation;
    const type = this.chosenType();
    this.fileStatus.textContent = t('import.reading');
    this.fileStatus.hidden = false;
    this.result.hide();
    this.error.clear();
    try {
      const preview = await api.importPreview(kept.name, type, sheet);
      if (generation !== this.generation) return;
      this.preview = preview;
      this.fileStatus.hidden = true;
      this.showPreview(preview, type);
    } catch (reason) {
      if (generation === this.generation) this.showFileProblem(messageOf(reason));
    }
  }

  private showPreview(preview: ImportPreview, type: ImportType): void {
    this.sheetField.hidden = preview.sheets.length <= 1;
    replaceChildren(this.sheet, ...preview.sheets.map((name) => h('option', { value: name }, name)));
    if (preview.sheet) this.sheet.value = preview.sheet;
    const keys = matchKeysFor(type);
    replaceChildren(this.match, ...keys.map((key) => h('option', { value: key ?? '' }, matchKeyLabel(key))));
    this.match.value = defaultMatchKey(type, preview.default_match) ?? '';
    this.mapping.show(preview, type);
    this.vcardHint.hidden = true;
    this.mapping.el.hidden = false;
    this.options.hidden = false;
    this.checkButton.hidden = false;
    this.runButton.hidden = false;
    this.settings.hidden = false;
    this.invalidate();
  }

  private showVcard(): void {
    this.fileStatus.hidden = true;
    this.sheetField.hidden = true;
    this.vcardHint.hidden = false;
    this.mapping.el.hidden = true;
    this.options.hidden = true;
    this.checkButton.hidden = true;
    this.runButton.hidden = false;
    this.runButton.disabled = false;
    this.settings.hidden = false;
  }

  /** The choices changed: what « Vérifier » showed no longer holds, so « Importer » waits
   *  for another check. */
  private invalidate(): void {
    this.runButton.disabled = true;
    this.runButton.title = t('import.checkFirst');
    this.result.hide();
  }

  private importOptions(dryRun: boolean): ImportOptions {
    const options: ImportOptions = {
      mapping: mappingOption(this.mapping.values()),
      mode: this.mode.value as ImportMode,
      dryRun,
    };
    if (this.preview?.sheet) options.sheet = this.preview.sheet;
    if (this.match.value) options.matchKey = this.match.value as MatchKey;
    return options;
  }

  /** « Vérifier » (`dryRun`, nothing written) or « Importer ». */
  private async run(dryRun: boolean): Promise<void> {
    const kept = this.kept;
    if (!kept) return;
    const type = this.chosenType();
    const button = dryRun ? this.checkButton : this.runButton;
    this.error.clear();
    this.result.hide();
    const other = dryRun ? this.runButton : this.checkButton;
    other.disabled = true;
    let done = false;
    await whileBusy(button, t(dryRun ? 'import.checking' : 'import.running'), async () => {
      try {
        const report = await this.progress.track(() =>
          kept.vcard ? api.importVcard(kept.name) : api.importRun(kept.name, type, this.importOptions(dryRun)),
        );
        this.result.show(report);
        done = true;
        if (!dryRun) {
          this.actions.onChanged();
          await this.history.refresh();
        }
      } catch (reason) {
        this.error.show(messageOf(reason));
      }
    });
    this.checkButton.disabled = false;
    // A file is imported once: importing it again needs another check (a vCard, choosing
    // it again); a failed import may be tried again.
    const checked = done && dryRun;
    this.runButton.disabled = kept.vcard ? done : !checked;
    if (checked) this.runButton.removeAttribute('title');
  }

  /** Takes an import back, with its progress; the result and the list say what it did. */
  private async undo(batch: string): Promise<UndoReport> {
    const report = await this.progress.track(() => api.importUndo(batch), t('import.undoing'));
    this.result.markUndone(batch, report);
    this.actions.onChanged();
    await this.history.refresh();
    return report;
  }
}
