//! A tiny helper to build DOM trees in code, so components read like markup without a
//! framework. Text is always set with text nodes: nothing coming from records is parsed
//! as HTML.

export type Child = Node | string | number | null | undefined | false;

type Attrs = {
  class?: string;
  /** Event handlers: `on: { click: () => … }`. */
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
  /** `data-*` attributes: `dataset: { id: '…' }`. */
  dataset?: Record<string, string>;
  [attribute: string]: unknown;
};

/** Creates an element: `h('button', { type: 'submit', class: 'primary' }, 'Enregistrer')`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'value') {
      continue; // Set after the children, so a <select> already has its options.
    } else if (name === 'on') {
      for (const [event, handler] of Object.entries(value as Record<string, EventListener>)) {
        element.addEventListener(event, handler);
      }
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name === 'class') {
      element.className = String(value);
    } else if (name in element && typeof value !== 'string') {
      // Properties such as `value`, `checked`, `disabled`, `hidden`.
      (element as unknown as Record<string, unknown>)[name] = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  if (attrs.value !== undefined && attrs.value !== null && 'value' in element) {
    (element as unknown as { value: string }).value = String(attrs.value);
  }
  return element;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}
