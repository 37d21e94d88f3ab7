import type { Database } from './database.js';

/**
 * Rows read through this cache are reused for as long as `stamp` gives the value they were read
 * under; any other value empties it. A stamp of null (unknown just now) reads from the database
 * and keeps nothing; without a stamp function (PostgreSQL) every read goes to the database. A
 * stamp must only ever move on when what it covers changes, and never return to a value it had
 * before a change (Database.authChanges). Only found rows are kept, at most `max`.
 */
export function createStampedCache<V>(stamp: Database['authChanges'], max = 1000) {
  const rows = new Map<string, V>();
  let stampOfRows: number | null = null;
  return async function read(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const before = stamp?.() ?? null;
    if (before === null) return load();
    if (before !== stampOfRows) {
      rows.clear();
      stampOfRows = before;
    }
    const kept = rows.get(key);
    if (kept !== undefined) return kept;
    const row = await load();
    // Kept only if nothing changed while it was read: then it is the row as of `before` (and,
    // stamps never returning, the rows kept are still those of `before` too).
    if (row !== undefined && stamp!() === before) {
      if (rows.size >= max) rows.clear();
      rows.set(key, row);
    }
    return row;
  };
}
