//! "Aller au contenu": the first stop of the Tab key, out of sight until it has the focus,
//! which jumps past the header and the portfolio list to the page shown. The addresses of
//! the app are its screens (`#/…`), so the link moves the focus itself rather than
//! changing the address.

import { h } from '../dom';
import { t } from '../i18n';

/** A skip link to the element `targetId`, which must accept the focus (`tabindex="-1"`). */
export function skipLink(targetId: string): HTMLAnchorElement {
  return h(
    'a',
    {
      id: 'skip-link',
      class: 'skip-link',
      href: `#${targetId}`,
      on: {
        click: (event) => {
          event.preventDefault();
          document.getElementById(targetId)?.focus();
        },
      },
    },
    t('app.skipToContent'),
  );
}
