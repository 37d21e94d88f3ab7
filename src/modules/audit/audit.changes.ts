/**
 * The before and after of a change, for the audit entry: only the fields that changed, nested
 * objects (a workspace's retention) compared field by field, and fields that are not settings
 * (ids, times of the change, values computed at each read) left out.
 */
export function changesOf(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  ignore: readonly string[] = ['id', 'created_at', 'updated_at'],
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (ignore.includes(key)) continue;
    const [b, a] = [before[key], after[key]];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    if (isObject(b) && isObject(a)) {
      const nested = changesOf(b, a, []);
      out.before[key] = nested.before;
      out.after[key] = nested.after;
    } else {
      out.before[key] = b ?? null;
      out.after[key] = a ?? null;
    }
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
