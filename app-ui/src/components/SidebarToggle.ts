//! The button at the left of the header that hides and shows the portfolio sidebar, so the
//! page (the pipeline board above all) can take the whole width of a laptop screen. The
//! choice is remembered in localStorage; the button is there only while the workspace is.

import { h } from '../dom';
import { t } from '../i18n';

const STORAGE_KEY = 'crm-terrain.sidebar-hidden';

function storedHidden(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'true';
  } catch {
    return false;
  }
}

export class SidebarToggle {
  readonly el: HTMLButtonElement;
  private hidden = storedHidden();
  private target: { workspace: HTMLElement; sidebar: HTMLElement } | null = null;

  constructor() {
    this.el = h(
      'button',
      {
        id: 'sidebar-toggle',
        type: 'button',
        class: 'button button-ghost sidebar-toggle',
        'aria-controls': 'sidebar',
        hidden: true,
        on: { click: () => this.set(!this.hidden) },
      },
      h('span', { class: 'nav-icon sidebar-toggle-icon', 'aria-hidden': 'true' }),
    );
    this.render();
  }

  /** The workspace is on screen: the button now hides and shows its `sidebar`. */
  attach(workspace: HTMLElement, sidebar: HTMLElement): void {
    this.target = { workspace, sidebar };
    this.el.hidden = false;
    this.render();
  }

  /** No sidebar on screen (sign-in, unlock): the button goes away. */
  detach(): void {
    this.target = null;
    this.el.hidden = true;
  }

  /** Hides (`true`) or shows the sidebar, and remembers it. */
  set(hidden: boolean): void {
    this.hidden = hidden;
    try {
      localStorage.setItem(STORAGE_KEY, String(hidden));
    } catch {
      // Storage disabled: the choice lasts until the app is closed.
    }
    this.render();
  }

  private render(): void {
    const label = this.hidden ? t('sidebar.show') : t('sidebar.hide');
    this.el.setAttribute('aria-expanded', String(!this.hidden));
    this.el.setAttribute('aria-label', label);
    this.el.title = label;
    if (!this.target) return;
    this.target.sidebar.hidden = this.hidden;
    this.target.workspace.classList.toggle('sidebar-hidden', this.hidden);
  }
}
