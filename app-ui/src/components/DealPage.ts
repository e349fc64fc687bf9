//! The page of one deal: its stage path (with a select to move it, asking before it is
//! won or lost, and why when lost), its details with its rep and their sales manager
//! (amount, probability, expected close, priority and a lost deal's reason editable in
//! place), the history of its moves, its contract once won, its quotes with "Créer un
//! devis", and the history of its changes.

import { api, type DealView, type Quote } from '../api';
import { needsLossReason } from '../dealMove';
import { h, replaceChildren } from '../dom';
import { LOST_STAGE, WON_STAGE } from '../generated/vocabulary';
import {
  choicesOf,
  choiceLabel,
  contractStatusLabel,
  dealTypeLabel,
  formatCalendarDate,
  formatDateTime,
  formatDateTimeLong,
  formatMoney,
  formatPercent,
  priorityLabel,
  stageLabel,
  todayYmd,
} from '../format';
import { t } from '../i18n';
import { routeToHash } from '../router';
import { may } from '../session';
import { isFinalStage, loadSalesSettings } from '../stages';
import { definitionRows, type DefinitionRow } from './DefinitionList';
import { FormError, formField, messageOf, whileBusy } from './FormField';
import { HistoryPanel } from './HistoryPanel';
import { QuoteList } from './QuoteList';
import { RecordLoader, recordPage, titledCard } from './RecordPage';
import { StageMoveConfirm } from './StageMoveConfirm';

export interface DealPageActions {
  onChanged: () => void;
  onNewQuote: (accountId: string, dealId: string) => void;
}

export class DealPage {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly error = new FormError();
  private readonly body: HTMLElement;
  private readonly path: HTMLElement;
  private readonly stageSelect: HTMLSelectElement;
  private readonly details: HTMLElement;
  private readonly history: HTMLElement;
  private readonly contract: HTMLElement;
  private readonly quotes: QuoteList;
  private readonly quoteButton: HTMLButtonElement;
  private readonly changes: HistoryPanel;
  private readonly confirm = new StageMoveConfirm('deal');
  private readonly editForm: HTMLFormElement;
  private readonly editInputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly editError = new FormError();
  private readonly editButton: HTMLButtonElement;
  private readonly saveButton: HTMLButtonElement;
  private deal: DealView | null = null;
  private readonly loader: RecordLoader;

  constructor(private readonly dealId: string, private readonly actions: DealPageActions) {
    this.title = h('h1', { class: 'page-title' }, t('account.loading'));
    this.subtitle = h('div', { class: 'page-subtitle' });
    this.path = h('ol', { id: 'deal-stages', class: 'stage-path' });
    this.stageSelect = h('select', { id: 'deal-stage', class: 'compact-select', on: { change: () => void this.move(this.stageSelect.value) } });
    this.details = h('dl', { id: 'deal-details', class: 'details' });
    this.editInputs.set('amount', h('input', { name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off' }));
    this.editInputs.set('probability', h('input', { name: 'probability', type: 'number', min: '0', max: '100', step: '1' }));
    this.editInputs.set('expected_close', h('input', { name: 'expected_close', type: 'date' }));
    this.editInputs.set(
      'priority',
      h('select', { name: 'priority' }, ...choicesOf('deal.priority').map((c) => h('option', { value: c.id }, choiceLabel([c], c.id)))),
    );
    // Shown only while the deal is lost, where it may not be emptied.
    this.editInputs.set('lost_reason', h('input', { name: 'lost_reason', type: 'text', autocomplete: 'off' }));
    this.saveButton = h('button', { type: 'submit', class: 'button button-primary' }, t('form.save'));
    this.editForm = h(
      'form',
      { id: 'deal-edit-form', class: 'record-form', novalidate: true, hidden: true, on: { submit: (event) => { event.preventDefault(); void this.saveEdit(); } } },
      h(
        'div',
        { class: 'form-grid' },
        ...[...this.editInputs].map(([name, input]) =>
          formField(t(`field.${name}` as 'field.amount'), input, { hint: name === 'probability' ? t('deal.probabilityHint') : undefined, wide: name === 'lost_reason' }),
        ),
      ),
      this.editError.el,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button button-secondary', on: { click: () => this.closeEdit() } }, t('form.cancel')),
        this.saveButton,
      ),
    );
    this.editButton = h(
      'button',
      { id: 'deal-edit-button', type: 'button', class: 'button button-secondary button-small', hidden: !may('edit', 'deal'), on: { click: () => this.openEdit() } },
      t('deal.edit'),
    );
    this.history = h('ol', { id: 'stage-history', class: 'stage-history' });
    this.contract = h('div', { id: 'deal-contract' });
    this.quotes = new QuoteList(t('deal.noQuotes'));
    this.changes = new HistoryPanel(dealId, 'deal');
    this.loader = new RecordLoader(this.error, 'deal.notFound', this.changes);
    this.quoteButton = h(
      'button',
      { id: 'create-quote-button', type: 'button', class: 'button button-primary', disabled: true, hidden: !may('create', 'quote'), on: { click: () => this.newQuote() } },
      '+ ',
      t('deal.createQuote'),
    );

    this.body = h(
      'div',
      { class: 'account-body', hidden: true },
      titledCard(
        { titleId: 'path-title', title: t('deal.progress'), extra: may('edit', 'deal') ? h('label', { class: 'inline-label' }, t('deal.moveTo'), ' ', this.stageSelect) : null },
        this.confirm.el,
        this.path,
      ),
      h(
        'div',
        { class: 'columns' },
        titledCard(
          { title: t('account.details'), extra: this.editButton },
          this.details,
          this.editForm,
        ),
        titledCard({ title: t('deal.history') }, this.history),
      ),
      h(
        'div',
        { class: 'columns' },
        titledCard({ title: t('deal.contract') }, this.contract),
        titledCard({ title: t('quotes.title') }, this.quotes.el),
      ),
      this.changes.el,
    );

    this.el = recordPage({
      id: 'deal-page',
      recordId: dealId,
      back: { name: 'pipeline' },
      backLabel: t('pipeline.title'),
      header: [this.title, this.subtitle, this.quoteButton],
      error: this.error.el,
      body: this.body,
    });
    void this.refresh();
  }

  /** Reloads the data after a sync; the screen is redrawn only if it changed, or if `force`. */
  async refresh(force = false): Promise<void> {
    const load = async () => {
      const [deal] = await Promise.all([api.dealView(this.dealId), loadSalesSettings()]);
      const [account, quotes] = await Promise.all([
        api.accountView(deal.account).catch(() => null),
        api.listQuotes(deal.account).catch((): Quote[] => []),
      ]);
      return [deal, account?.name, quotes] as const;
    };
    await this.loader.reload(force, load, ([deal, accountName, quotes]) => {
      this.deal = deal;
      this.render(deal, accountName ?? '', quotes.filter((quote) => quote.deal === deal.id));
    });
  }

  private render(deal: DealView, accountName: string, quotes: Quote[]): void {
    this.title.textContent = deal.title;
    replaceChildren(
      this.subtitle,
      h('a', { href: routeToHash({ name: 'account', id: deal.account }) }, accountName || t('pipeline.unknownAccount')),
      h('span', { class: 'tag' }, dealTypeLabel(deal.deal_type)),
      h('span', { class: `status-tag stage-tag stage-${deal.stage}` }, stageLabel(deal.stage, deal.stages.find((s) => s.id === deal.stage)?.label)),
      deal.amount ? h('strong', { class: 'subtitle-amount' }, formatMoney(deal.amount)) : null,
    );
    this.quoteButton.disabled = false;

    // Stage path: stages passed are done; won and lost are the two ends.
    const history = parseHistory(deal.stage_history ?? []);
    const reached = new Set(history.map((item) => item.stage));
    const current = deal.stages.findIndex((stage) => stage.id === deal.stage);
    const final = isFinalStage(deal.stage);
    replaceChildren(
      this.path,
      ...deal.stages.map((stage, index) => {
        let state: string;
        if (stage.id === deal.stage) state = `current ${deal.stage}`;
        else if (isFinalStage(stage.id)) state = final ? 'skipped' : 'todo';
        else if (!final) state = index < current ? 'done' : 'todo';
        else state = deal.stage === WON_STAGE || reached.has(stage.id) ? 'done' : 'skipped';
        let mark = String(index + 1);
        if (state === 'done' || state === `current ${WON_STAGE}`) mark = '✓';
        else if (state === `current ${LOST_STAGE}`) mark = '✕';
        return h(
          'li',
          { class: `stage-step ${state}`, dataset: { stage: stage.id }, 'aria-current': stage.id === deal.stage ? 'step' : null },
          h('span', { class: 'step-dot', 'aria-hidden': 'true' }, mark),
          h('span', { class: 'step-label' }, stageLabel(stage.id, stage.label)),
        );
      }),
    );
    replaceChildren(this.stageSelect, ...deal.stages.map((stage) => h('option', { value: stage.id }, stageLabel(stage.id, stage.label))));
    this.stageSelect.value = deal.stage;

    const late = Boolean(deal.expected_close && !isFinalStage(deal.stage) && deal.expected_close < todayYmd());
    const rows: DefinitionRow[] = [
      [t('field.amount'), deal.amount ? formatMoney(deal.amount) : null],
      [t('field.probability'), deal.probability ? formatPercent(deal.probability) : null],
      [t('field.priority'), priorityLabel(deal.priority ?? 'normal')],
      [
        t('field.expected_close'),
        deal.expected_close
          ? h('span', { class: late ? 'text-late' : '' }, formatCalendarDate(deal.expected_close), late ? ` · ${t('pipeline.late')}` : '')
          : null,
      ],
      [t('field.deal_type'), dealTypeLabel(deal.deal_type)],
      // The spec: each deal is followed by a rep and their sales manager.
      [t('field.owner'), deal.owner_name ?? (deal.owner ? t('deal.unknownUser') : null), 'owner'],
      [t('field.manager'), deal.manager_name ?? (deal.manager ? t('deal.unknownUser') : null), 'manager'],
    ];
    if (deal.stage === LOST_STAGE || deal.lost_reason) rows.push([t('field.lost_reason'), deal.lost_reason ?? null, 'lost_reason']);
    replaceChildren(
      this.details,
      ...definitionRows(rows),
    );

    replaceChildren(
      this.history,
      ...(history.length === 0
        ? [h('li', { class: 'list-empty' }, t('deal.noHistory'))]
        : history.map((item) =>
            h(
              'li',
              { class: `history-item stage-${item.stage}` },
              h('span', { class: 'history-dot', 'aria-hidden': 'true' }),
              h('span', { class: 'history-stage' }, stageLabel(item.stage, deal.stages.find((s) => s.id === item.stage)?.label)),
              h('time', { class: 'history-date', datetime: item.at, title: formatDateTimeLong(item.at) }, formatDateTime(item.at)),
            ),
          )),
    );

    const contract = deal.contract_record;
    if (deal.contract) {
      replaceChildren(
        this.contract,
        h(
          'a',
          { id: 'deal-contract-link', class: 'item-row item-link', href: routeToHash({ name: 'contract', id: deal.contract }) },
          h('span', { class: 'item-title' }, t('deal.openContract')),
          contract ? h('span', { class: `status-tag contract-${contract.status}` }, contractStatusLabel(contract.status)) : null,
          contract?.start ? h('span', { class: 'item-meta' }, t('contract.startsOn', { date: formatCalendarDate(contract.start) })) : null,
        ),
      );
    } else {
      replaceChildren(this.contract, h('p', { class: 'muted' }, t('deal.noContract')));
    }
    this.quotes.update(quotes);
    this.body.hidden = false;
  }

  private newQuote(): void {
    if (this.deal) this.actions.onNewQuote(this.deal.account, this.deal.id);
  }

  private openEdit(): void {
    const deal = this.deal;
    if (!deal) return;
    for (const [name, input] of this.editInputs) {
      const value = (deal as unknown as Record<string, unknown>)[name];
      input.value = value == null ? '' : String(value);
    }
    if (!this.editInputs.get('priority')!.value) this.editInputs.get('priority')!.value = choicesOf('deal.priority')[1]?.id ?? '';
    this.editInputs.get('lost_reason')!.closest<HTMLElement>('.form-field')!.hidden = !needsLossReason(deal.stage);
    this.editError.clear();
    this.details.hidden = true;
    this.editButton.hidden = true;
    this.editForm.hidden = false;
    this.editInputs.get('amount')!.focus();
  }

  private closeEdit(): void {
    this.editError.clear();
    this.editForm.hidden = true;
    this.details.hidden = false;
    this.editButton.hidden = false;
  }

  /** Sends only what changed, so an untouched field never competes with another edit. */
  private async saveEdit(): Promise<void> {
    const deal = this.deal;
    if (!deal) return;
    this.editError.clear();
    const lostReason = this.editInputs.get('lost_reason')!;
    if (needsLossReason(deal.stage) && lostReason.value.trim() === '') {
      this.editError.showAt(lostReason, t('deal.lostReasonRequired'));
      return;
    }
    const changed: Record<string, string | null> = {};
    for (const [name, input] of this.editInputs) {
      const before = (deal as unknown as Record<string, unknown>)[name];
      const old = before == null || before === '' ? null : String(before);
      const now = input.value.trim() === '' ? null : input.value.trim();
      if (old !== now && !(name === 'priority' && old === null)) changed[name] = now;
    }
    if (Object.keys(changed).length === 0) {
      this.closeEdit();
      return;
    }
    await whileBusy(this.saveButton, t('form.saving'), async () => {
      try {
        await api.editDeal(deal.id, changed);
        this.closeEdit();
        this.actions.onChanged();
        await this.refresh(true);
      } catch (reason) {
        this.editError.showFor(reason, this.editForm);
      }
    });
  }

  private async move(stage: string): Promise<void> {
    if (!this.deal || stage === this.deal.stage) return;
    // Winning creates the contract and losing ends the deal: both are asked first, and a
    // lost deal says why (StageMoveConfirm, shared with the pipeline board).
    this.stageSelect.disabled = true;
    const fields = await this.confirm.fieldsFor(stage, { reason: this.deal.lost_reason });
    this.stageSelect.disabled = false;
    if (!fields) {
      this.stageSelect.value = this.deal.stage;
      this.stageSelect.focus();
      return;
    }
    this.error.clear();
    this.stageSelect.disabled = true;
    try {
      await api.editDeal(this.deal.id, fields);
      this.actions.onChanged();
    } catch (reason) {
      this.error.show(messageOf(reason));
    } finally {
      this.stageSelect.disabled = false;
    }
    await this.refresh(true);
  }
}

/** "<RFC 3339 time> <stage> <user id>" items, oldest first (a set has no order). */
function parseHistory(items: string[]): Array<{ at: string; stage: string; user: string }> {
  return items
    .map((item) => {
      const [at = '', stage = '', user = ''] = item.trim().split(/\s+/);
      return { at, stage, user };
    })
    .filter((item) => item.at && item.stage)
    .sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime() || a.at.localeCompare(b.at));
}
