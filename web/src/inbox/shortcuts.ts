import { useEffect, useRef } from 'react';

/** True when the key was typed into a field, where letters are text, not shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Enter on a button, a link or a picker does what that control does, not "open the row". */
const ownsEnter = (target: EventTarget | null) => target instanceof Element && Boolean(target.closest('a, button, summary, [role="listbox"], [role="option"], dialog'));

/** The keys, as the `?` map lists them (r and n belong to the composer). */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['j', 'k'], what: 'Move down / up the list (the list scrolls along)' },
  { keys: ['Enter'], what: 'Open the conversation you are on' },
  { keys: ['x'], what: 'Select it for a bulk action (shift-click selects a range)' },
  { keys: ['/'], what: 'Search' },
  { keys: ['r'], what: 'Reply to the contact' },
  { keys: ['n'], what: 'Write an internal note' },
  { keys: ['a'], what: 'Assign the open conversation' },
  { keys: ['t'], what: 'Take over from the AI' },
  { keys: ['e'], what: 'End the open conversation' },
  { keys: ['s'], what: 'Snooze the open conversation' },
  { keys: ['Ctrl', 'Enter'], what: 'Send (in the composer; ⌘ Enter on a Mac)' },
  { keys: ['Esc'], what: 'Leave a field, close a panel or this map' },
  { keys: ['?'], what: 'Show this map' },
];

/** Presses a visible control of the open conversation, found by the key it answers to. */
function press(key: string): boolean {
  const el = document.querySelector<HTMLElement>(`.inbox-main [data-shortcut="${key}"]`);
  if (!el || el.hasAttribute('disabled') || el.offsetParent === null) return false;
  el.click();
  return true;
}

/** `a`: the assignee picker sits in the details, a drawer on narrower screens: open it first. */
function openAssigneePicker(): boolean {
  const picker = () => document.querySelector<HTMLButtonElement>('.inbox-main .details .picker-button');
  const shown = picker();
  if (shown && shown.offsetParent !== null) {
    shown.click();
    return true;
  }
  const toggle = document.querySelector<HTMLButtonElement>('.inbox-main .details-toggle');
  if (!toggle || toggle.offsetParent === null) return false;
  toggle.click();
  requestAnimationFrame(() => picker()?.click());
  return true;
}

/** Esc outside a field: close the details drawer if it is open. */
function closePanel(): boolean {
  const close = document.querySelector<HTMLButtonElement>('.inbox-main .details-close');
  if (!close || close.offsetParent === null || !document.querySelector('.inbox-main .details-open')) return false;
  close.click();
  return true;
}

export interface ListKeys {
  ids: readonly string[];
  focusedId: string | null;
  focus: (id: string) => void;
  open: (id: string) => void;
  select: (id: string) => void;
  clearSelection: () => boolean;
  showMap: () => void;
}

/** The inbox's keyboard: one listener on the window, reading the latest list through a ref. */
export function useListShortcuts(keys: ListKeys): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      // A dialog has its own keys (Escape closes it by itself).
      if (e.target instanceof Element && e.target.closest('dialog')) return;
      if (isTyping(e.target)) {
        // Esc leaves the field, so the next key is a shortcut again.
        if (e.key === 'Escape' && e.target instanceof HTMLElement) e.target.blur();
        return;
      }
      const { ids, focusedId, focus, open, select, clearSelection, showMap } = latest.current;
      const at = focusedId ? ids.indexOf(focusedId) : -1;
      let handled = true;
      switch (e.key) {
        case '?':
          showMap();
          break;
        case '/':
          document.getElementById('inbox-search')?.focus();
          break;
        case 'j':
        case 'k': {
          if (ids.length === 0) return;
          const next = e.key === 'j' ? Math.min(at + 1, ids.length - 1) : Math.max(at - 1, 0);
          focus(ids[next]);
          break;
        }
        case 'Enter':
          if (!focusedId || ownsEnter(e.target)) return;
          open(focusedId);
          break;
        case 'x':
          if (!focusedId) return;
          select(focusedId);
          break;
        case 'a':
          handled = openAssigneePicker();
          break;
        case 't':
        case 'e':
        case 's':
          handled = press(e.key);
          break;
        case 'Escape':
          handled = closePanel() || clearSelection();
          break;
        default:
          return;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * Scrolls the list so a row is in sight (nearest edge: the list moves no more than needed). When
 * the keyboard's focus is on another row (one just clicked), it follows, so Enter opens this one.
 */
export function scrollRowIntoView(id: string): void {
  const row = document.querySelector(`.conversation-row[data-id="${CSS.escape(id)}"]`);
  row?.scrollIntoView({ block: 'nearest' });
  const active = document.activeElement;
  if (row && active instanceof HTMLElement && active.closest('.conversation-list') && !row.contains(active)) {
    row.querySelector<HTMLElement>('.row-link')?.focus({ preventScroll: true });
  }
}
