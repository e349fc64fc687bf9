//! The bar under the import wizard while a file is read, checked and written (or an
//! import undone): the phase in words, rows done out of the total, rows per second and
//! the time left, from the backend's `import-progress` events.

import { events } from '../api';
import { h } from '../dom';
import { ProgressMeter, progressText } from '../importWizard';
import { t } from '../i18n';

export class ImportProgressBar {
  readonly el: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly line: HTMLElement;
  private readonly meter = new ProgressMeter();

  constructor() {
    this.bar = h('progress', { id: 'import-progress-bar', class: 'import-progress-bar', max: 1 });
    this.line = h('p', { id: 'import-progress-text', class: 'import-progress-text', 'aria-live': 'polite' });
    this.el = h('div', { id: 'import-progress', class: 'import-progress', hidden: true }, this.bar, this.line);
  }

  /** Shows the bar while `work` runs, fed by the progress events it sends. */
  async track<T>(work: () => Promise<T>, firstLine = t('import.reading')): Promise<T> {
    this.meter.reset();
    // Moving but without a value until the first count: the total is not known yet.
    this.bar.removeAttribute('value');
    this.line.textContent = firstLine;
    this.el.hidden = false;
    const stop = await events.onImportProgress((progress) => {
      const reading = this.meter.read(progress, Date.now());
      if (reading.fraction === null) this.bar.removeAttribute('value');
      else this.bar.value = reading.fraction;
      this.line.textContent = progressText(reading);
    }).catch(() => null);
    try {
      return await work();
    } finally {
      stop?.();
      this.el.hidden = true;
    }
  }
}
