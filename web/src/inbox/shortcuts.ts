import { useEffect, useRef } from 'react';

/** True when the key was typed into a field, where letters are text, not shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** j / k open the next / previous conversation of the list; / jumps to the search box. */
export function useListShortcuts(ids: string[], openId: string | undefined, open: (id: string) => void): void {
  const state = useRef({ ids, openId, open });
  state.current = { ids, openId, open };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const { ids, openId, open } = state.current;
      if (e.key === '/') {
        e.preventDefault();
        document.getElementById('inbox-search')?.focus();
        return;
      }
      if (e.key !== 'j' && e.key !== 'k') return;
      if (ids.length === 0) return;
      const at = openId ? ids.indexOf(openId) : -1;
      const next = e.key === 'j' ? Math.min(at + 1, ids.length - 1) : Math.max(at - 1, 0);
      if (ids[next] && ids[next] !== openId) {
        e.preventDefault();
        open(ids[next]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
