//! Where an exported report or dashboard went: « Fichier enregistré : <chemin> » and
//! « Ouvrir », which opens it with the system's application (PDF reader, Excel). The line
//! stays on the page (it is not a toast) so the path can be read and copied at leisure;
//! the path is also kept in `data-path`.

import { api } from '../api';
import { h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { FormError, messageOf, whileBusy } from './FormField';

export class ExportNotice {
  readonly el: HTMLElement;
  readonly error = new FormError();

  /** `id` is the notice's own id; its « Ouvrir » button is `<id>-open`. */
  constructor(private readonly id: string) {
    this.el = h('p', { id, class: 'export-result no-print', role: 'status', hidden: true });
  }

  /** Runs `write` (an export answering the file's path) while `button` says it is busy,
   *  then says where the file went, or why it was not written. */
  async export(button: HTMLButtonElement, write: () => Promise<string>): Promise<void> {
    this.error.clear();
    await whileBusy(button, t('export.exporting'), async () => {
      try {
        this.show(await write());
      } catch (reason) {
        this.el.hidden = true;
        this.error.show(messageOf(reason));
      }
    });
  }

  private show(path: string): void {
    const open = h('button', { id: `${this.id}-open`, type: 'button', class: 'link-button' }, t('export.open'));
    open.addEventListener('click', () => {
      api.openExport(path).catch((reason: unknown) => this.error.show(messageOf(reason)));
    });
    replaceChildren(this.el, t('export.savedPrefix'), ' ', h('span', { class: 'export-path mono', dataset: { path } }, path), open);
    this.el.hidden = false;
  }
}
