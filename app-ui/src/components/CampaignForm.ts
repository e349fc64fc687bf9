//! The « Nouvelle campagne » form: its name, who it goes to (the segment builder), the
//! e-mail's subject and text. The campaign is saved as a draft; it is sent from its page,
//! after its recipients were checked. The name, the subject and the text are asked here,
//! next to their field, so a draft can always be sent; the segment is checked by the core
//! (a criterion it cannot read is shown next to the criteria's text).

import { api, type Campaign } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { formField } from './FormField';
import { FormShell } from './FormShell';
import { SegmentBuilder } from './SegmentBuilder';

export class CampaignForm {
  readonly el: HTMLFormElement;
  private readonly name: HTMLInputElement;
  private readonly subject: HTMLInputElement;
  private readonly body: HTMLTextAreaElement;
  private readonly segment = new SegmentBuilder();
  private readonly shell: FormShell;

  constructor(private readonly onCreated: (campaign: Campaign) => void, onCancel: () => void) {
    this.name = h('input', { id: 'campaign-name', name: 'name', type: 'text', autocomplete: 'off' });
    this.subject = h('input', { id: 'campaign-subject', name: 'subject', type: 'text', autocomplete: 'off' });
    this.body = h('textarea', { id: 'campaign-body', name: 'body', rows: 6 });
    this.shell = new FormShell(
      { id: 'campaign-form', class: 'inline-form campaign-form' },
      {
        onSubmit: () => void this.save(),
        onCancel: () => {
          this.close();
          onCancel();
        },
      },
      h(
        'div',
        { class: 'form-grid' },
        formField(t('field.campaign.name'), this.name, { wide: true }),
        this.segment.el,
        formField(t('field.campaign.subject'), this.subject, { wide: true }),
        formField(t('field.campaign.body'), this.body, { wide: true, hint: t('campaigns.bodyHint') }),
      ),
    );
    this.el = this.shell.el;
  }

  open(): void {
    this.shell.close();
    this.segment.reset();
    this.el.hidden = false;
    this.name.focus();
  }

  close(): void {
    this.shell.close();
    this.segment.reset();
  }

  /** The first thing to fix, in the order of the fields on screen, or null. */
  private firstProblem(): [HTMLElement, string] | null {
    if (!this.name.value.trim()) return [this.name, t('campaigns.nameRequired')];
    const split = this.segment.fieldSplittingCriterion();
    if (split) return [split, t('segment.comma')];
    if (!this.subject.value.trim()) return [this.subject, t('campaigns.subjectRequired')];
    if (!this.body.value.trim()) return [this.body, t('campaigns.bodyRequired')];
    return null;
  }

  private async save(): Promise<void> {
    const problem = this.firstProblem();
    if (problem) {
      this.shell.error.showAt(...problem);
      return;
    }
    const campaign = {
      name: this.name.value.trim(),
      segment: this.segment.value,
      subject: this.subject.value.trim(),
      // The text as typed: its line breaks and indentation are the e-mail's.
      body: this.body.value.replace(/\s+$/, ''),
    };
    await this.shell.save(() => api.addCampaign(campaign), () => this.close(), (created) => this.onCreated(created));
  }
}
