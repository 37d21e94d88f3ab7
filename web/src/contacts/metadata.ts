/** Metadata edited as rows of name and value; values that were not text are edited as JSON. */
export interface MetadataRow {
  key: string;
  text: string;
  json: boolean;
}

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function rowsOf(metadata: JsonObject): MetadataRow[] {
  return Object.entries(metadata).map(([key, value]) =>
    typeof value === 'string' ? { key, text: value, json: false } : { key, text: JSON.stringify(value), json: true },
  );
}

/** The rows as an object, or a plain sentence saying what is wrong with them. */
export function parseRows(rows: MetadataRow[]): { value: JsonObject } | { error: string } {
  const out: JsonObject = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key && !row.text.trim()) continue;
    if (!key) return { error: 'Every metadata value needs a name.' };
    if (key.length > 100) return { error: `The name “${key.slice(0, 20)}…” is too long: 100 characters at most.` };
    if (Object.hasOwn(out, key)) return { error: `“${key}” is there twice: give each value its own name.` };
    if (row.json) {
      try {
        const parsed: unknown = JSON.parse(row.text);
        if (parsed === null) return { error: `“${key}” cannot be empty (null): remove the row instead.` };
        out[key] = parsed;
      } catch {
        return { error: `The value of “${key}” is structured data and must stay valid JSON, such as 42, true, ["a", "b"] or {"plan": "pro"}.` };
      }
    } else {
      out[key] = row.text;
    }
  }
  return { value: out };
}

/**
 * The PATCH that turns `before` into `after` under the server's deep merge: a removed key is sent
 * as null (which removes it), an object is diffed key by key (a merge would keep keys left out),
 * anything else is sent whole. Undefined when nothing changed.
 */
export function metadataPatch(before: JsonObject, after: JsonObject): JsonObject | undefined {
  const patch: JsonObject = {};
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) patch[key] = null;
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (isObject(old) && isObject(value)) {
      const inner = metadataPatch(old, value);
      if (inner) patch[key] = inner;
    } else if (JSON.stringify(old) !== JSON.stringify(value)) {
      patch[key] = value;
    }
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
