import { useEffect, type RefObject } from 'react';

/**
 * Closes a pop-up menu on a click outside `root` or on Escape; Escape also gives the focus back to
 * the `button` that opened it, so a keyboard user is where they were.
 */
export function useDismiss(open: boolean, close: () => void, root: RefObject<HTMLElement | null>, button: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      close();
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
    // Subscribed while open only; `close` is a wrapper of a state setter, the same each time in effect.
  }, [open]);
}
