/**
 * Rows read through this cache are reused for as long as the database's change stamp is the one
 * they were read under: the first change anywhere (this process or another) empties it. Without a
 * stamp (PostgreSQL) every read goes to the database. Only found rows are kept, at most `max`.
 */
export function createStampedCache<V>(changeStamp: (() => string) | null, max = 1000) {
  const rows = new Map<string, V>();
  let stampOfRows = '';
  return async function read(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (!changeStamp) return load();
    const before = changeStamp();
    if (before !== stampOfRows) {
      rows.clear();
      stampOfRows = before;
    }
    const kept = rows.get(key);
    if (kept !== undefined) return kept;
    const row = await load();
    // Kept only if nothing changed while it was read: then it is the row as of `before`.
    if (row !== undefined && changeStamp() === before && stampOfRows === before) {
      if (rows.size >= max) rows.clear();
      rows.set(key, row);
    }
    return row;
  };
}

export type StampedCache<V> = ReturnType<typeof createStampedCache<V>>;
