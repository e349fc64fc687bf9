//! « Modifications refusées »: every change the server refused, newest first, as a card
//! with the record (its type and name), when it was typed and refused, the reason in the
//! user's words, and what was typed, field by field. « Copier » puts that text on the
//! clipboard to redo it; « Ouvrir la fiche » opens the record when this device has it;
//! « Oublier », asked once, lets the change go.

import { api, type Refused, type User } from '../api';
import { h, replaceChildren } from '../dom';
import { formatDateTime, formatDateTimeLong } from '../format';
import { t, tCount } from '../i18n';
import { tell } from '../problems';
import { Reloader } from '../reload';
import { nameText, refusedAsText, typedFields, typeText } from '../review';
import { recordRoute, routeToHash } from '../router';
import { loadSalesSettings } from '../stages';
import { definitionRows } from './DefinitionList';
import { FormError, messageOf } from './FormField';
import { reviewPage, showEmpty } from './ListCard';
import { RecordNames } from './RecordNames';

export interface RefusedChangesActions {
  /** A refused change was forgotten: the header's count is out of date. */
  onChanged: () => void;
}

export class RefusedChangesPage {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly help: HTMLElement;
  private readonly error = new FormError();
  private refused: Refused[] = [];
  private readonly reloader = new Reloader((reason) => this.error.show(t('refused.loadError', { message: messageOf(reason) })));

  constructor(
    private readonly me: User | null,
    private readonly actions: RefusedChangesActions,
  ) {
    ({ el: this.el, list: this.list, count: this.count, help: this.help } = reviewPage(
      { page: 'refused-page', list: 'refused-list', count: 'refused-count-line' },
      t('refused.title'),
      t('refused.help'),
      this.error.el,
    ));
    void this.refresh(true);
  }

  /** Reloads after a sync (a new refusal, a record back on this device); redrawn only if
   *  something changed, so a copy or a question in progress stays. */
  async refresh(force = false): Promise<void> {
    await this.reloader.run(force, async () => {
      const [refused] = await Promise.all([api.refusedChanges(), loadSalesSettings()]);
      const names = await RecordNames.load(
        refused.flatMap((change) => Object.entries(change.fields)),
        this.me,
      );
      return {
        shown: refused,
        show: () => {
          this.error.clear();
          this.refused = refused;
          replaceChildren(this.list, ...refused.map((change) => this.card(change, names)));
          this.showCount();
        },
      };
    });
  }

  private showCount(): void {
    this.count.textContent = this.refused.length > 0 ? tCount('refused.count', this.refused.length) : '';
    this.help.hidden = this.refused.length === 0;
    if (this.refused.length === 0) showEmpty(this.list, t('refused.empty'));
  }

  private card(refused: Refused, names: RecordNames): HTMLElement {
    const route = refused.on_device ? recordRoute(refused.record_type, refused.record_id) : null;
    const fields = typedFields(refused, names.nameOf);
    const status = h('p', { class: 'refused-copy-status', 'aria-live': 'polite', hidden: true });
    const fallback = h('textarea', {
      class: 'refused-copy-text',
      readonly: true,
      rows: Math.min(12, fields.length + 3),
      'aria-label': t('refused.typed'),
      hidden: true,
    });
    const copy = h('button', { type: 'button', class: 'button button-primary button-small refused-copy' }, t('refused.copy'));
    copy.addEventListener('click', () => void this.copy(refusedAsText(refused, names.nameOf), status, fallback));
    const dismiss = h('button', { type: 'button', class: 'button button-secondary button-small refused-dismiss' }, t('refused.dismiss'));
    const confirm = this.confirmBar(refused, dismiss);
    dismiss.addEventListener('click', () => {
      confirm.hidden = false;
      confirm.querySelector<HTMLButtonElement>('.refused-dismiss-yes')?.focus();
    });

    return h(
      'li',
      { class: 'card review-card refused-card', dataset: { change: refused.change, id: refused.record_id, type: refused.record_type ?? '' } },
      h(
        'div',
        { class: 'review-card-header' },
        h(
          'div',
          { class: 'review-record' },
          h('span', { class: 'record-type-tag' }, typeText(refused.record_type)),
          h('h2', { class: 'review-record-name' }, nameText(refused.label)),
        ),
        h(
          'div',
          { class: 'button-row' },
          copy,
          route ? h('a', { class: 'button button-secondary button-small refused-open', href: routeToHash(route) }, t('review.openRecord')) : null,
          dismiss,
        ),
      ),
      h(
        'p',
        { class: 'review-meta' },
        refused.made_at ? when('refused.madeAt', refused.made_at) : null,
        when('refused.refusedAt', refused.refused_at),
      ),
      confirm,
      h('p', { class: 'callout refused-reason' }, h('strong', {}, t('refused.reason')), ' ', tell(refused.problem)),
      refused.on_device ? null : h('p', { class: 'refused-gone' }, t('refused.notOnDevice')),
      h('h3', { class: 'review-subtitle' }, t('refused.typed')),
      fields.length > 0
        ? h('dl', { class: 'details refused-fields' }, ...definitionRows(fields.map(({ field, label, text }) => [label, text, field])))
        : h('p', { class: 'muted refused-unreadable' }, t('refused.unreadable')),
      status,
      fallback,
    );
  }

  /** The question before « Oublier »: the typed text cannot be copied afterwards. */
  private confirmBar(refused: Refused, dismiss: HTMLButtonElement): HTMLElement {
    const bar = h('div', { class: 'confirm-bar refused-confirm', role: 'alertdialog', hidden: true });
    const cancel = () => {
      bar.hidden = true;
      dismiss.focus();
    };
    const yes = h('button', { type: 'button', class: 'button button-danger button-small refused-dismiss-yes' }, t('refused.dismiss'));
    yes.addEventListener('click', () => void this.dismiss(refused, yes));
    const no = h('button', { type: 'button', class: 'button button-secondary button-small refused-dismiss-no', on: { click: cancel } }, t('refused.dismissCancel'));
    bar.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') cancel();
    });
    replaceChildren(bar, h('span', {}, t('refused.dismissConfirm')), yes, no);
    return bar;
  }

  private async dismiss(refused: Refused, button: HTMLButtonElement): Promise<void> {
    this.error.clear();
    button.disabled = true;
    try {
      await api.dismissRefused(refused.change);
      this.refused = this.refused.filter((change) => change.change !== refused.change);
      this.list.querySelector(`[data-change="${CSS.escape(refused.change)}"]`)?.remove();
      this.showCount();
      this.actions.onChanged();
    } catch (reason) {
      this.error.show(messageOf(reason));
    } finally {
      button.disabled = false;
    }
  }

  /** Puts `text` on the clipboard; when the webview refuses, shows it selected instead. */
  private async copy(text: string, status: HTMLElement, fallback: HTMLTextAreaElement): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      fallback.hidden = true;
      status.textContent = t('refused.copied');
    } catch {
      fallback.value = text;
      fallback.hidden = false;
      fallback.focus();
      fallback.select();
      status.textContent = t('refused.copyFailed');
    }
    status.hidden = false;
  }
}

/** « Saisie le 03/12/2025 14:05 », the long date in the tooltip. */
function when(key: 'refused.madeAt' | 'refused.refusedAt', at: string): HTMLElement {
  return h('time', { datetime: at, title: formatDateTimeLong(at) }, t(key, { date: formatDateTime(at) }));
}
