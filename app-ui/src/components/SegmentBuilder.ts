//! The « Destinataires » part of the campaign form: a list of account kinds (by their
//! labels), a city, a postal code or département, a tag and a sector compose the segment's
//! text (`kind=customer,city=Lyon`), shown below them in an editable field and in words
//! (« Type de tiers : Client · Ville : Lyon »). Typing in the text fills the fields back;
//! a criterion the fields do not offer (`owner=…`) stays in the text. The text's field is
//! named `segment`, so the core's refusal of a criterion is shown next to it.

import { BUILDER_KEYS, criterionValue, kindOf, segmentWords, splitsCriterion, withCriterion, type BuilderKey } from '../campaigns';
import { h, replaceChildren } from '../dom';
import { choiceLabel, choicesOf } from '../format';
import { t, type MessageKey } from '../i18n';
import { formField } from './FormField';

/** The label and hint of each field of the builder. */
const FIELDS: Readonly<Record<BuilderKey, { label: MessageKey; hint?: MessageKey }>> = {
  kind: { label: 'segment.kind' },
  city: { label: 'segment.city' },
  postal_code: { label: 'segment.postalCode', hint: 'segment.postalCodeHint' },
  tag: { label: 'segment.tag' },
  sector: { label: 'segment.sector' },
};

export class SegmentBuilder {
  readonly el: HTMLFieldSetElement;
  /** The segment's text, as the core reads it. */
  readonly text: HTMLInputElement;
  private readonly words: HTMLElement;
  private readonly fields = new Map<BuilderKey, HTMLInputElement | HTMLSelectElement>();

  constructor() {
    for (const key of BUILDER_KEYS) {
      const control =
        key === 'kind'
          ? h(
              'select',
              { id: 'segment-kind', name: 'segment_kind' },
              h('option', { value: '' }, t('segment.anyKind')),
              ...choicesOf('account.kind').map((choice) => h('option', { value: choice.id }, choiceLabel([choice], choice.id))),
            )
          : h('input', { id: `segment-${key.replace('_', '-')}`, name: `segment_${key}`, type: 'text', autocomplete: 'off' });
      control.addEventListener(key === 'kind' ? 'change' : 'input', () => {
        this.text.value = withCriterion(this.text.value, key, control.value);
        this.showWords();
      });
      this.fields.set(key, control);
    }
    this.text = h('input', {
      id: 'campaign-segment',
      name: 'segment',
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
      class: 'mono',
      on: { input: () => this.readText() },
    });
    this.words = h('p', { id: 'campaign-segment-words', class: 'segment-words', 'aria-live': 'polite' });
    this.el = h(
      'fieldset',
      { id: 'campaign-segment-builder', class: 'form-section segment-builder wide' },
      h('legend', {}, t('segment.title')),
      h('p', { class: 'hint-line' }, t('segment.help')),
      h(
        'div',
        { class: 'form-grid segment-grid' },
        ...BUILDER_KEYS.map((key) => {
          const field = FIELDS[key];
          return formField(t(field.label), this.field(key), { hint: field.hint ? t(field.hint) : undefined });
        }),
        formField(t('segment.text'), this.text, { hint: t('segment.textHint'), wide: true }),
      ),
      this.words,
    );
    this.showWords();
  }

  /** The segment's text, trimmed. */
  get value(): string {
    return this.text.value.trim();
  }

  /** Every criterion removed: « Tous les tiers ». */
  reset(): void {
    this.text.value = '';
    this.readText();
  }

  /** The first field holding a comma, which the core would read as two criteria. */
  fieldSplittingCriterion(): HTMLElement | null {
    for (const key of BUILDER_KEYS) {
      const control = this.field(key);
      if (splitsCriterion(control.value)) return control;
    }
    return null;
  }

  /** The text was typed: the fields show its criteria (an account kind the list does
   *  not know leaves the list on « Tous les types »; the text keeps it). */
  private readText(): void {
    for (const key of BUILDER_KEYS) {
      const value = criterionValue(this.text.value, key);
      this.field(key).value = key === 'kind' ? kindOf(value) : value;
    }
    this.showWords();
  }

  private showWords(): void {
    const words = segmentWords(this.text.value);
    replaceChildren(this.words, ...words.flatMap((word, index) => [index > 0 ? ' · ' : null, h('span', { class: 'segment-word' }, word)]));
  }

  private field(key: BuilderKey): HTMLInputElement | HTMLSelectElement {
    const control = this.fields.get(key);
    if (!control) throw new Error(`no segment field ${key}`);
    return control;
  }
}
