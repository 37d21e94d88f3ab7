/** JSON values as stored in metadata columns. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a JSON column (a string on SQLite and, as configured, on PostgreSQL). */
export function parseJsonObject(raw: string | null | undefined): JsonObject {
  if (!raw) return {};
  const v: unknown = JSON.parse(raw);
  return isPlainObject(v) ? (v as JsonObject) : {};
}

export function parseJsonArray<T = JsonValue>(raw: string | null | undefined): T[] {
  if (!raw) return [];
  const v: unknown = JSON.parse(raw);
  return Array.isArray(v) ? (v as T[]) : [];
}

/**
 * Deep-merges `patch` into `base`: objects merge key by key, a `null` removes the key, anything
 * else (arrays included) replaces. Neither argument is modified.
 */
export function deepMerge(base: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = deepMerge(out[key] as JsonObject, value as JsonObject);
    } else if (isPlainObject(value)) {
      out[key] = stripNulls(value as JsonObject);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A new object given as a patch has no keys to remove: its nulls are dropped, as a merge would. */
function stripNulls(obj: JsonObject): JsonObject {
  return deepMerge({}, obj);
}

/** How deep a JSON value nests (a scalar is 0, `{}` is 1). Iterative, so hostile input cannot overflow the stack. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v === 'object' && v !== null) {
      const depth = d + 1;
      if (depth > max) max = depth;
      for (const child of Object.values(v)) stack.push([child, depth]);
    }
  }
  return max;
}

/** Structural equality of JSON values, ignoring key order (PostgreSQL's jsonb reorders keys). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const bo = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual((a as Record<string, unknown>)[k], bo[k]));
}
