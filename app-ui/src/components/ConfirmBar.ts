//! A question asked in the page rather than in a system dialog, for an action that cannot
//! be taken back lightly: a sentence saying the consequence, "Annuler", and a button
//! saying what will be done; optionally a field asked with it (a lost deal's reason).
//! Esc cancels from anywhere in the question; Enter in the field answers yes.

import { h, replaceChildren } from '../dom';
import { t } from '../i18n';

export interface ConfirmQuestion {
  /** The sentence: what will happen. */
  question: string;
  /** The yes button's words ("Confirmer" when not given). */
  yesLabel?: string;
  yesId: string;
  noId: string;
  /** A red yes button, for a deletion. */
  danger?: boolean;
  /** Shown between the sentence and the buttons (a labelled field). */
  extra?: HTMLElement;
  /** The control that gets the focus instead of the yes button; Enter in it answers yes. */
  focus?: HTMLElement;
  /** Called on yes; returning false keeps the question open (the field says what is wrong). */
  accept?: () => boolean;
}

export class ConfirmBar {
  readonly el: HTMLElement;
  /** Answers "Annuler" to the question still open, if any. */
  private cancelOpen: (() => void) | null = null;

  constructor(id: string) {
    this.el = h('div', { id, class: 'confirm-bar', role: 'alertdialog', 'aria-labelledby': `${id}-question`, hidden: true });
  }

  /** Whether a question is waiting for its answer. */
  get asking(): boolean {
    return this.cancelOpen !== null;
  }

  /** Asks `question`: resolves true on yes, false on "Annuler" or Esc. A question still
   *  open is answered "Annuler" first. */
  ask(question: ConfirmQuestion): Promise<boolean> {
    this.cancel();
    return new Promise((resolve) => {
      const done = (answer: boolean) => {
        this.cancelOpen = null;
        replaceChildren(this.el);
        this.el.hidden = true;
        this.el.onkeydown = null;
        resolve(answer);
      };
      const answerYes = () => {
        if (!question.accept || question.accept()) done(true);
      };
      const yes = h(
        'button',
        {
          id: question.yesId,
          type: 'button',
          class: question.danger ? 'button button-danger button-small' : 'button button-primary button-small',
          on: { click: answerYes },
        },
        question.yesLabel ?? t('form.confirm'),
      );
      const no = h('button', { id: question.noId, type: 'button', class: 'button button-secondary button-small', on: { click: () => done(false) } }, t('form.cancel'));
      this.el.onkeydown = (event) => {
        if (event.key === 'Escape') {
          // Only the question closes, not a form around it.
          event.preventDefault();
          event.stopPropagation();
          done(false);
        } else if (event.key === 'Enter' && question.focus && event.target === question.focus) {
          event.preventDefault();
          event.stopPropagation();
          answerYes();
        }
      };
      replaceChildren(this.el, h('span', { id: `${this.el.id}-question` }, question.question), question.extra ?? null, no, yes);
      this.el.hidden = false;
      this.cancelOpen = () => done(false);
      (question.focus ?? yes).focus();
    });
  }

  /** Closes the question still open, if any, as if "Annuler" was chosen. */
  cancel(): void {
    this.cancelOpen?.();
  }
}
