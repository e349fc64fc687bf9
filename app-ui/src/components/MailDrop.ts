//! E-mails dropped anywhere on the window: while `.eml` files are dragged over it, a box
//! says what dropping them does; once dropped, each is filed (`import_mail`) and gets one
//! line in the box: « "Objet" enregistré chez 2 tiers », with a link to the ticket it
//! opened or went into, « déjà enregistré », or the problem in the user's words (no known
//! contact, not an e-mail). Other files are not this box's business. The box closes with
//! its button or Esc, and by itself a while after the last e-mail was filed. A role that
//! may not write activities (marketing) is told so, and nothing is filed.

import { api } from '../api';
import { h, replaceChildren } from '../dom';
import { fileName, filedLine } from '../droppedMail';
import { t, tCount } from '../i18n';
import { routeToHash } from '../router';
import { may } from '../session';
import { messageOf } from './FormField';

/** How long the results stay once everything was filed (unless the pointer is on them). */
const RESULTS_MS = 20_000;

export interface MailDropActions {
  /** Some e-mails were filed: the timelines and the counts on screen changed. */
  onFiled: () => void;
}

export class MailDrop {
  readonly el: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly list: HTMLUListElement;
  private timer: number | undefined;
  /** The drops filed one after the other, in the order they came. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly actions: MailDropActions) {
    this.hint = h('p', { id: 'mail-drop-hint', class: 'mail-drop-hint', hidden: true });
    this.list = h('ul', { id: 'mail-drop-results', class: 'mail-drop-results' });
    const close = h('button', { id: 'mail-drop-close', type: 'button', class: 'link-button', on: { click: () => this.close() } }, t('form.close'));
    this.el = h(
      'section',
      {
        id: 'mail-drop',
        class: 'toast mail-drop',
        role: 'status',
        'aria-label': t('mail.title'),
        hidden: true,
        on: {
          keydown: (event) => {
            if (event.key === 'Escape') this.close();
          },
          // Read at leisure: the box does not go while the pointer is on it.
          mouseenter: () => window.clearTimeout(this.timer),
          mouseleave: () => this.closeLater(),
        },
      },
      h('div', { class: 'mail-drop-header' }, h('strong', {}, t('mail.title')), close),
      this.hint,
      this.list,
    );
  }

  /** `.eml` files are dragged over the window: what dropping them does. */
  hover(paths: readonly string[]): void {
    window.clearTimeout(this.timer);
    this.hint.textContent = may('create', 'activity') ? tCount('mail.dropHint', paths.length) : t('mail.mayNot');
    this.hint.hidden = false;
    this.el.hidden = false;
  }

  /** The drag left the window: the results of an earlier drop stay, the hint goes. */
  leave(): void {
    this.hint.hidden = true;
    if (this.list.childElementCount === 0) this.el.hidden = true;
    else this.closeLater();
  }

  /** Files the dropped `.eml` files, one after the other. */
  drop(paths: readonly string[]): Promise<void> {
    this.queue = this.queue.then(() => this.file(paths));
    return this.queue;
  }

  private async file(paths: readonly string[]): Promise<void> {
    window.clearTimeout(this.timer);
    this.hint.hidden = true;
    replaceChildren(this.list);
    this.el.hidden = false;
    if (!may('create', 'activity')) {
      this.list.append(h('li', { class: 'mail-drop-failed' }, t('mail.mayNot')));
      this.closeLater();
      return;
    }
    let filed = 0;
    for (const path of paths) {
      const line = h('li', { class: 'mail-drop-line', dataset: { file: fileName(path) } }, `${fileName(path)} — ${t('mail.filing')}`);
      this.list.append(line);
      try {
        const result = filedLine(await api.importMail(path));
        const ticket = result.ticket;
        replaceChildren(
          line,
          h('span', {}, result.text),
          ticket ? h('span', {}, ' · ', h('a', { href: routeToHash({ name: 'ticket', id: ticket.id }), class: 'mail-drop-ticket' }, ticket.label)) : null,
        );
        filed++;
      } catch (reason) {
        line.classList.add('mail-drop-failed');
        line.textContent = t('mail.failed', { file: fileName(path), message: messageOf(reason) });
      }
    }
    if (filed > 0) this.actions.onFiled();
    this.closeLater();
  }

  private closeLater(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.close(), RESULTS_MS);
  }

  private close(): void {
    window.clearTimeout(this.timer);
    this.el.hidden = true;
    this.hint.hidden = true;
    replaceChildren(this.list);
  }
}
