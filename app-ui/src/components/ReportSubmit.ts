//! « Commentaire pour votre responsable » and « Envoyer le rapport »: sends the week shown,
//! its figures as they stand and the comment, to the user's manager (a record that syncs
//! like any other, offline first). Once sent the box says « Envoyé le … » and the button
//! becomes « Renvoyer le rapport » (sending again updates the same report). The box is
//! built once per page: a reload after a sync never wipes a comment being typed.

import { api, type RepReport } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { sentText } from '../reports';
import { FormError, formField, messageOf, whileBusy } from './FormField';

export class ReportSubmit {
  readonly el: HTMLElement;
  private readonly comment: HTMLTextAreaElement;
  private readonly button: HTMLButtonElement;
  private readonly sent: HTMLElement;
  private readonly notSent: HTMLElement;
  private readonly error = new FormError();
  /** Typed since the last answer: a reload keeps what the user wrote. */
  private dirty = false;
  private week: string | null = null;

  /** `onSent` is told once the report is saved on this device (it leaves at the next sync). */
  constructor(private readonly onSent: (report: RepReport) => void) {
    this.comment = h('textarea', { id: 'report-comment', name: 'comment', rows: 2, on: { input: () => (this.dirty = true) } });
    this.button = h('button', { id: 'report-submit', type: 'submit', class: 'button button-primary' }, t('reports.submit'));
    this.sent = h('span', { id: 'report-sent', class: 'report-sent', role: 'status', hidden: true });
    this.notSent = h('span', { id: 'report-not-sent', class: 'muted' }, t('reports.notSentYet'));
    const form = h(
      'form',
      { id: 'report-submit-form', class: 'report-submit-form', novalidate: true },
      formField(t('reports.comment'), this.comment, { hint: t('reports.commentHint') }),
      h('div', { class: 'button-row' }, this.button, this.sent, this.notSent),
      this.error.el,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.el = h(
      'section',
      { id: 'report-submit-card', class: 'card report-card no-print', 'aria-labelledby': 'report-submit-title' },
      h('h2', { id: 'report-submit-title' }, t('reports.submitTitle')),
      form,
    );
  }

  /** Shows what was sent of the week `report` (its comment unless one is being typed). */
  update(report: RepReport, week: string | null): void {
    this.week = week;
    if (!this.dirty) this.comment.value = report.comment ?? '';
    const sent = sentText(report.submitted_at);
    this.sent.textContent = sent ?? '';
    this.sent.hidden = !sent;
    this.notSent.hidden = Boolean(sent);
    this.button.textContent = sent ? t('reports.resubmit') : t('reports.submit');
  }

  private async submit(): Promise<void> {
    this.error.clear();
    const report = await whileBusy(this.button, t('reports.submitting'), async () => {
      try {
        return await api.submitReport(this.week, this.comment.value);
      } catch (reason) {
        this.error.show(messageOf(reason));
        return null;
      }
    });
    if (!report) return;
    this.dirty = false;
    this.update(report, this.week);
    this.onSent(report);
  }
}
