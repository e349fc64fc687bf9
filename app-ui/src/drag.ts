//! Drag to move, with pointer events (mouse, pen and touch alike). The HTML5 drag and
//! drop API is not used: WebDriver cannot drive it, and it gives poor feedback.
//!
//! A press on an item becomes a drag once the pointer moved a few pixels, so a simple
//! click still opens the item. While dragging, a copy of the item follows the pointer and
//! the zone under it is highlighted; on release over a zone, `onDrop` is called. Escape
//! cancels. The click that follows a drag is swallowed.

export interface PointerDragOptions {
  /** Selector of the draggable items inside the container. */
  item: string;
  /** Selector of the drop zones. */
  zone: string;
  /** Controls inside an item that keep their own behaviour (a press there never drags). */
  ignore?: string;
  /** Scrolled sideways when the pointer nears its left or right edge. */
  scroller?: HTMLElement;
  onDrop: (item: HTMLElement, zone: HTMLElement) => void;
}

/** How far the pointer must move before a press becomes a drag, in CSS pixels. */
const THRESHOLD_PX = 5;
/** Distance from the scroller's edge where dragging scrolls it, and the step per move. */
const EDGE_PX = 60;
const SCROLL_STEP_PX = 18;

interface Press {
  pointerId: number;
  item: HTMLElement;
  startX: number;
  startY: number;
  /** Where in the item it was grabbed, so the copy does not jump. */
  offsetX: number;
  offsetY: number;
  ghost: HTMLElement | null;
  zone: HTMLElement | null;
}

/** Makes the items of `container` draggable to its zones. Returns a function that stops it. */
export function enablePointerDrag(container: HTMLElement, options: PointerDragOptions): () => void {
  const ignore = options.ignore ?? 'a, button, input, select, textarea, label';
  let press: Press | null = null;

  const zoneAt = (x: number, y: number): HTMLElement | null => {
    const hit = document.elementFromPoint(x, y);
    const zone = hit?.closest<HTMLElement>(options.zone) ?? null;
    return zone && container.contains(zone) ? zone : null;
  };

  const setZone = (zone: HTMLElement | null) => {
    if (!press || press.zone === zone) return;
    press.zone?.classList.remove('drop-target');
    zone?.classList.add('drop-target');
    press.zone = zone;
  };

  const begin = (current: Press, event: PointerEvent) => {
    const rect = current.item.getBoundingClientRect();
    const ghost = current.item.cloneNode(true) as HTMLElement;
    ghost.removeAttribute('data-id');
    ghost.removeAttribute('id');
    ghost.classList.add('drag-ghost');
    ghost.setAttribute('aria-hidden', 'true');
    ghost.style.width = `${rect.width}px`;
    document.body.appendChild(ghost);
    current.ghost = ghost;
    current.item.classList.add('drag-source');
    document.body.classList.add('is-dragging');
    moveGhost(current, event);
  };

  const moveGhost = (current: Press, event: PointerEvent) => {
    if (!current.ghost) return;
    current.ghost.style.transform = `translate(${event.clientX - current.offsetX}px, ${event.clientY - current.offsetY}px) rotate(1.5deg)`;
  };

  const autoScroll = (event: PointerEvent) => {
    const scroller = options.scroller;
    if (!scroller) return;
    const rect = scroller.getBoundingClientRect();
    if (event.clientX > rect.right - EDGE_PX) scroller.scrollLeft += SCROLL_STEP_PX;
    else if (event.clientX < rect.left + EDGE_PX) scroller.scrollLeft -= SCROLL_STEP_PX;
  };

  const finish = () => {
    if (!press) return;
    press.ghost?.remove();
    press.item.classList.remove('drag-source');
    press.zone?.classList.remove('drop-target');
    document.body.classList.remove('is-dragging');
    window.removeEventListener('pointermove', onMove, true);
    window.removeEventListener('pointerup', onUp, true);
    window.removeEventListener('pointercancel', onCancel, true);
    window.removeEventListener('keydown', onKey, true);
    press = null;
  };

  const onMove = (event: PointerEvent) => {
    if (!press || event.pointerId !== press.pointerId) return;
    if (!press.ghost) {
      const distance = Math.hypot(event.clientX - press.startX, event.clientY - press.startY);
      if (distance < THRESHOLD_PX) return;
      begin(press, event);
    }
    event.preventDefault();
    moveGhost(press, event);
    autoScroll(event);
    setZone(zoneAt(event.clientX, event.clientY));
  };

  const onUp = (event: PointerEvent) => {
    if (!press || event.pointerId !== press.pointerId) return;
    const dragged = press.ghost !== null;
    const item = press.item;
    const zone = dragged ? zoneAt(event.clientX, event.clientY) : null;
    finish();
    if (!dragged) return;
    swallowNextClick();
    if (zone) options.onDrop(item, zone);
  };

  const onCancel = () => finish();

  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      const wasDragging = Boolean(press?.ghost);
      finish();
      if (wasDragging) swallowNextClick();
    }
  };

  const onDown = (event: PointerEvent) => {
    if (press || event.button !== 0 || !event.isPrimary) return;
    const target = event.target as Element | null;
    if (!target || target.closest(ignore)) return;
    const item = target.closest<HTMLElement>(options.item);
    if (!item || !container.contains(item)) return;
    const rect = item.getBoundingClientRect();
    press = {
      pointerId: event.pointerId,
      item,
      startX: event.clientX,
      startY: event.clientY,
      offsetX: event.clientX - rect.left,
      offsetY: event.clientY - rect.top,
      ghost: null,
      zone: null,
    };
    window.addEventListener('pointermove', onMove, true);
    window.addEventListener('pointerup', onUp, true);
    window.addEventListener('pointercancel', onCancel, true);
    window.addEventListener('keydown', onKey, true);
  };

  container.addEventListener('pointerdown', onDown);
  return () => {
    finish();
    container.removeEventListener('pointerdown', onDown);
  };
}

/** The click the browser sends after a drag's release must not open the dragged item. */
function swallowNextClick(): void {
  const swallow = (event: MouseEvent) => {
    event.stopPropagation();
    event.preventDefault();
  };
  window.addEventListener('click', swallow, { capture: true, once: true });
  // No click comes when the release happened over another element: forget it soon.
  window.setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
}
