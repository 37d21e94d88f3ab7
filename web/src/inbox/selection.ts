import { useCallback, useMemo, useRef, useState } from 'react';

/** The last row clicked, and whether that click selected it or cleared it. */
export interface Anchor {
  id: string;
  on: boolean;
}

/**
 * One click on a row's box: toggles that row; with shift, sets every row from the anchor to this
 * one to what the anchor's click did (select or clear), as file managers do.
 */
export function toggleRows(picked: ReadonlySet<string>, ids: readonly string[], id: string, range: boolean, anchor: Anchor | null): { picked: Set<string>; anchor: Anchor | null } {
  const next = new Set(picked);
  const from = anchor ? ids.indexOf(anchor.id) : -1;
  const to = ids.indexOf(id);
  if (range && anchor && from >= 0 && to >= 0) {
    for (let i = Math.min(from, to); i <= Math.max(from, to); i += 1) {
      if (anchor.on) next.add(ids[i]);
      else next.delete(ids[i]);
    }
    return { picked: next, anchor };
  }
  const on = !next.has(id);
  if (on) next.add(id);
  else next.delete(id);
  return { picked: next, anchor: { id, on } };
}

/** The rows picked for a bulk action, among the rows the list shows. */
export function useSelection(ids: readonly string[]) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<Anchor | null>(null);

  const toggle = useCallback(
    (id: string, range: boolean) => {
      const result = toggleRows(picked, ids, id, range, anchor.current);
      anchor.current = result.anchor;
      setPicked(result.picked);
    },
    [ids, picked],
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
