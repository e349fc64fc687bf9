//! The frame of a record's page (a deal, a contract): a "← list" link, a header with the
//! title, subtitle and one action button, the error line, then the body.

import { h } from '../dom';
import { routeToHash, type Route } from '../router';

/** The "← <label>" link back to `route`. */
export function backLink(route: Route, label: string): HTMLElement {
  return h('a', { class: 'back-link', href: routeToHash(route) }, '← ', label);
}

export function recordPage(parts: {
  id: string;
  recordId: string;
  back: Route;
  backLabel: string;
  header: [title: HTMLElement, subtitle: HTMLElement, action: HTMLElement];
  error: HTMLElement;
  body: HTMLElement;
}): HTMLElement {
  const [title, subtitle, action] = parts.header;
  return h(
    'section',
    { id: parts.id, class: 'page', dataset: { id: parts.recordId } },
    backLink(parts.back, parts.backLabel),
    h('div', { class: 'page-header' }, h('div', {}, title, subtitle), action),
    parts.error,
    parts.body,
  );
}
