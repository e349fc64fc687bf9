//! One deal on the pipeline board: title, account, its rep (for those who see other
//! people's deals), amount, priority, expected close date, and a stage <select> that moves
//! it without dragging (keyboard and screen readers).

import type { Deal } from '../api';
import { h } from '../dom';
import { formatCalendarDate, formatMoney, priorityLabel, stageLabel, todayYmd } from '../format';
import { t } from '../i18n';
import { isFinalStage, stagesOf } from '../stages';

export interface DealCardActions {
  onOpen: (id: string) => void;
  onMove: (deal: Deal, stage: string) => void;
}

/** The names the card shows: its account's, and its rep's (null: not shown). */
export interface DealCardNames {
  account: string;
  owner: string | null;
}

export class DealCard {
  readonly el: HTMLElement;

  constructor(readonly deal: Deal, names: DealCardNames, actions: DealCardActions) {
    const stage = h(
      'select',
      {
        class: 'deal-stage-select',
        'aria-label': t('pipeline.moveTo', { title: deal.title }),
        title: t('pipeline.stageSelect'),
        value: deal.stage,
        on: { change: () => actions.onMove(deal, stage.value) },
      },
      ...stagesOf(deal.deal_type).map((s) => h('option', { value: s.id }, stageLabel(s.id, s.label))),
    );
    const late = Boolean(deal.expected_close && !isFinalStage(deal.stage) && deal.expected_close < todayYmd());
    const priority = deal.priority ?? 'normal';

    this.el = h(
      'div',
      {
        class: `deal-card priority-${priority}`,
        dataset: { id: deal.id, stage: deal.stage },
        tabindex: 0,
        role: 'listitem',
        on: {
          click: () => actions.onOpen(deal.id),
          keydown: (event) => {
            if (event.key === 'Enter' && event.target === this.el) actions.onOpen(deal.id);
          },
        },
      },
      h('div', { class: 'deal-title' }, deal.title),
      h('div', { class: 'deal-account' }, names.account || t('pipeline.unknownAccount')),
      names.owner ? h('div', { class: 'deal-owner', title: t('pipeline.ownerTitle', { name: names.owner }) }, names.owner) : null,
      h(
        'div',
        { class: 'deal-meta' },
        h('span', { class: deal.amount ? 'deal-amount' : 'deal-amount muted' }, deal.amount ? formatMoney(deal.amount) : t('pipeline.noAmount')),
        deal.expected_close
          ? h(
              'span',
              { class: late ? 'deal-close late' : 'deal-close', title: late ? t('pipeline.late') : t('field.expected_close') },
              formatCalendarDate(deal.expected_close),
            )
          : null,
      ),
      h(
        'div',
        { class: 'deal-card-bottom' },
        stage,
        priority !== 'normal' ? h('span', { class: `priority-tag priority-${priority}`, title: t('field.priority') }, priorityLabel(priority)) : null,
      ),
    );
  }
}
