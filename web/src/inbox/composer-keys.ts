import { useEffect, useRef } from 'react';
import type { DraftKind } from '../realtime/saved-drafts';
import { isTyping } from './shortcuts';

/** `r` starts a reply, `n` a note, from anywhere on the page but a field (where they are letters). */
export function useComposerKeys(start: (kind: DraftKind) => void): void {
  const latest = useRef(start);
  latest.current = start;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key !== 'r' && e.key !== 'n') return;
      // Without this the letter would be typed into the text it just focused.
      e.preventDefault();
      latest.current(e.key === 'r' ? 'operator' : 'note');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
