//! E-mails dropped on the window: which of the dropped files are e-mails (`.eml`; any
//! other file is left to the page that takes it), and what became of each, in one short
//! line: « "Objet" enregistré chez 2 tiers », with « ticket ouvert » when one was opened
//! (or the ticket the reply went into), « déjà enregistré » for a message filed before.
//! Pure: the filing is crm-client's (`import_mail`).

import type { MailFiled } from './api';
import { t, tCount } from './i18n';

/** The dropped files that are e-mails (`.eml`, letter case ignored), in their order. */
export function emlPaths(paths: readonly string[]): string[] {
  return paths.filter((path) => /\.eml$/i.test(path.trim()));
}

/** A file's name without its folder, whatever the system's separator. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** One filed e-mail in words, with the ticket it opened or went into, if any. */
export interface FiledLine {
  text: string;
  ticket: { id: string; label: string } | null;
}

export function filedLine(filed: MailFiled): FiledLine {
  const subject = filed.subject.trim() || t('mail.noSubject');
  if (filed.already) return { text: t('mail.already', { subject }), ticket: null };
  return {
    text: tCount('mail.filed', filed.activities.length, { subject }),
    ticket: filed.ticket ? { id: filed.ticket.id, label: filed.ticket_opened ? t('mail.ticketOpened') : t('mail.ticketThreaded') } : null,
  };
}
