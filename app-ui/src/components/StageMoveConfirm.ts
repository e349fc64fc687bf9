//! The question asked before a deal is won or lost, shared by the deal page (its stage
//! select) and the pipeline board (a card dropped or moved to the won or lost column):
//! winning creates the contract, losing ends the deal and asks why (required, see
//! dealMove.ts). Other moves are not asked.
//!
//! Its elements are named after `prefix`: `<prefix>-stage-confirm` (the question),
//! `<prefix>-lost-reason`, `<prefix>-confirm-yes` and `<prefix>-confirm-no`.

import type { Fields } from '../api';
import { asksConfirmation, needsLossReason, stageMove } from '../dealMove';
import { h } from '../dom';
import { t } from '../i18n';
import { ConfirmBar } from './ConfirmBar';
import { FormError, formField } from './FormField';

export interface StageMoveQuestion {
  /** The deal's title, named in the question where several deals are shown (the board). */
  title?: string;
  /** A reason the deal already has (lost before), offered again. */
  reason?: string | null;
}

export class StageMoveConfirm {
  readonly el: HTMLElement;
  private readonly bar: ConfirmBar;

  constructor(private readonly prefix: string) {
    this.bar = new ConfirmBar(`${prefix}-stage-confirm`);
    this.bar.el.classList.add('stage-confirm');
    this.el = this.bar.el;
  }

  /** Whether a question is waiting for its answer. */
  get asking(): boolean {
    return this.bar.asking;
  }

  /**
   * The fields that move a deal to `stage`: asked first when it is won or lost (with a
   * lost deal's reason), at once otherwise. Null when the user cancels.
   */
  async fieldsFor(stage: string, deal: StageMoveQuestion = {}): Promise<Fields | null> {
    if (!asksConfirmation(stage)) {
      const move = stageMove(stage);
      return 'fields' in move ? move.fields : null;
    }
    const error = new FormError();
    const reason = needsLossReason(stage)
      ? h('input', {
          id: `${this.prefix}-lost-reason`,
          name: 'lost_reason',
          type: 'text',
          autocomplete: 'off',
          required: true,
          value: deal.reason ?? '',
          placeholder: t('deal.lostReasonPlaceholder'),
        })
      : null;
    let fields: Fields | null = null;
    const confirmed = await this.bar.ask({
      question: this.question(stage, deal.title),
      yesId: `${this.prefix}-confirm-yes`,
      noId: `${this.prefix}-confirm-no`,
      extra: reason ? h('span', { class: 'confirm-reason' }, formField(t('field.lost_reason'), reason)) : undefined,
      focus: reason ?? undefined,
      accept: () => {
        const move = stageMove(stage, reason?.value ?? '');
        if ('fields' in move) {
          fields = move.fields;
          return true;
        }
        if (reason) error.showAt(reason, t('deal.lostReasonRequired'));
        return false;
      },
    });
    error.clear();
    return confirmed ? fields : null;
  }

  /** Closes a question still open, as if "Annuler" was chosen. */
  cancel(): void {
    this.bar.cancel();
  }

  private question(stage: string, title: string | undefined): string {
    const lost = needsLossReason(stage);
    if (title) return lost ? t('pipeline.confirmLost', { title }) : t('pipeline.confirmWon', { title });
    return lost ? t('deal.confirmLost') : t('deal.confirmWon');
  }
}
