//! What the pages of changes to review say, in words: who wrote a value in conflict and
//! on which device, which record a change was for, and a refused change as plain text the
//! user copies to redo it. Pure: the pages draw these words, the tests read them.

import type { Author } from './generated/Author';
import type { Refused } from './generated/Refused';
import { fieldLabel, fieldValueText, formatDateTime, recordTypeLabel, type NameOf } from './format';
import { t } from './i18n';
import { tell } from './problems';

/** Device ids are UUIDs: their first eight characters tell them apart for a person. */
export function shortDevice(device: string): string {
  return device.slice(0, 8);
}

/** Who wrote a value: a user's name, « le serveur », or « un appareil inconnu (1a2b3c4d) ». */
export function authorText(author: Author | null, device: string | null): string {
  switch (author?.kind) {
    case 'user':
      return author.name;
    case 'server':
      return t('review.server');
    case 'unknown_device':
      return t('review.unknownDevice', { id: shortDevice(device ?? '') });
    default:
      return t('review.unknownAuthor');
  }
}

/** On which device: « cet appareil » for this one, « appareil 1a2b3c4d » for another. */
export function deviceText(device: string, thisDevice: string | null): string {
  return device === thisDevice ? t('review.thisDevice') : t('review.device', { id: shortDevice(device) });
}

/** What a record type is called, « Fiche » when the change could not say. */
export function typeText(type: string | null): string {
  return type ? recordTypeLabel(type) : t('review.record');
}

/** The record's name, « Sans nom » when there is none. */
export function nameText(label: string | null): string {
  return label?.trim() ? label : t('review.noName');
}

/** A refused change's fields, each with its label and its value in words, in the order
 * the backend sent them; a cleared field reads « (effacé) ». */
export function typedFields(refused: Refused, nameOf?: NameOf): Array<{ field: string; label: string; text: string }> {
  return Object.entries(refused.fields).map(([field, value]) => ({
    field,
    label: fieldLabel(field, refused.record_type),
    text: value === null || value === undefined ? t('refused.clearedValue') : fieldValueText(field, value, { type: refused.record_type, nameOf }),
  }));
}

/** A refused change as text to paste: the record, why and when it was refused, then each
 * field typed on its own line (« Ville : Lyon »). */
export function refusedAsText(refused: Refused, nameOf?: NameOf): string {
  const fields = typedFields(refused, nameOf).map(({ label, text }) => t('history.set', { field: label, value: text }));
  return [
    t('refused.copyTitle', { type: typeText(refused.record_type), name: nameText(refused.label) }),
    t('refused.copyReason', { date: formatDateTime(refused.refused_at), reason: tell(refused.problem) }),
    ...(fields.length > 0 ? ['', ...fields] : []),
  ].join('\n');
}
