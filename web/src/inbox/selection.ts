import { useCallback, useMemo, useRef, useState } from 'react';

/**
 * The rows picked for a bulk action. A click toggles one row; a shift-click sets every row from the
 * last one clicked to this one to what the last click did (select or clear), as file managers do.
 */
export function useSelection(ids: readonly string[]) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<{ id: string; on: boolean } | null>(null);

  const toggle = useCallback(
    (id: string, range: boolean) => {
      setPicked((prev) => {
        const next = new Set(prev);
        const from = anchor.current ? ids.indexOf(anchor.current.id) : -1;
        const to = ids.indexOf(id);
        if (range && anchor.current && from >= 0 && to >= 0) {
          const on = anchor.current.on;
          for (let i = Math.min(from, to); i <= Math.max(from, to); i += 1) {
            if (on) next.add(ids[i]);
            else next.delete(ids[i]);
          }
        } else {
          const on = !next.has(id);
          if (on) next.add(id);
          else next.delete(id);
          anchor.current = { id, on };
        }
        return next;
      });
    },
    [ids],
  );
  const clear = useCallback(() => {
    anchor.current = null;
    setPicked(new Set());
  }, []);
  const keepOnly = useCallback((keep: readonly string[]) => setPicked(new Set(keep)), []);
  // Rows that left the list (another view, another page) are not acted on unseen.
  const visible = useMemo(() => ids.filter((id) => picked.has(id)), [ids, picked]);
  return { picked, selectedIds: visible, toggle, clear, keepOnly };
}
