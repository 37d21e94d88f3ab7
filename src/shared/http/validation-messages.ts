import type { ErrorObject } from 'ajv';

/**
 * Ajv's errors in words a person using the inbox (or reading an API response) understands:
 * "cannot be blank" rather than `must match pattern "\S"`. One sentence per keyword; the field
 * name is not repeated, since `details` is keyed by it.
 */

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'must be a date and time, like 2026-01-31T09:30:00Z',
  date: 'must be a date, like 2026-01-31',
  time: 'must be a time, like 09:30:00Z',
  email: 'must be an email address',
  uuid: 'must be a valid id',
  uri: 'must be a web address, like https://example.com',
  url: 'must be a web address, like https://example.com',
  hostname: 'must be a host name, like example.com',
  ipv4: 'must be an IPv4 address',
  ipv6: 'must be an IPv6 address',
};

/** Patterns that only ask for some non-space text: a name, a title. */
const NON_BLANK = new Set(['\\S', '.*\\S.*', '^.*\\S.*$', '\\S+', '^(?!\\s*$).+']);

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** What a list of JSON types reads as: "text or null". */
export function typeWords(types: string | string[]): string {
  const list = Array.isArray(types) ? types : types.split(',');
  return list.map((t) => TYPE_WORDS[t.trim()] ?? t.trim()).join(' or ');
}

/** One Ajv error as a plain sentence about its field. */
export function plainMessage(e: Pick<ErrorObject, 'keyword' | 'params' | 'message'>): string {
  const p = (e.params ?? {}) as Record<string, unknown>;
  const limit = typeof p.limit === 'number' ? p.limit : Number(p.limit);
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field Parley knows';
    case 'type':
      return `must be ${typeWords(p.type as string | string[])}`;
    case 'minLength':
      return limit <= 1 ? 'cannot be empty' : `must be at least ${plural(limit, 'character', 'characters')} long`;
    case 'maxLength':
      return `must be at most ${plural(limit, 'character', 'characters')} long`;
    case 'pattern':
      return NON_BLANK.has(String(p.pattern)) ? 'cannot be blank' : 'is not in the expected form';
    case 'format':
      return FORMAT_WORDS[String(p.format)] ?? `must be a valid ${String(p.format)}`;
    case 'enum':
      return `must be one of: ${(Array.isArray(p.allowedValues) ? p.allowedValues : []).map(shown).join(', ')}`;
    case 'const':
      return `must be ${shown(p.allowedValue)}`;
    case 'minimum':
      return `must be at least ${limit}`;
    case 'maximum':
      return `must be at most ${limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${limit}`;
    case 'exclusiveMaximum':
      return `must be less than ${limit}`;
    case 'multipleOf':
      return `must be a multiple of ${shown(p.multipleOf)}`;
    case 'minItems':
      return limit <= 1 ? 'needs at least one item' : `needs at least ${limit} items`;
    case 'maxItems':
      return `can hold at most ${plural(limit, 'item', 'items')}`;
    case 'uniqueItems':
      return 'must not list the same item twice';
    case 'minProperties':
      return limit <= 1 ? 'needs at least one field' : `needs at least ${limit} fields`;
    case 'maxProperties':
      return `can have at most ${plural(limit, 'field', 'fields')}`;
    case 'propertyNames':
    case 'patternProperties':
      return 'has a field name Parley does not accept';
    default:
      return 'is not an accepted value';
  }
}

/** Keywords by which a union's branch says "not this kind of value" rather than "this kind, but wrong". */
const SHAPE = new Set(['type', 'const', 'enum']);

/**
 * A union (`anyOf`/`oneOf`) fails with one error per branch plus its own. When the value was of
 * no branch's kind, that is one sentence: "must be text or null", or the values the branches
 * allow. When it was of a branch's kind but broke one of its rules ("" for a non-empty text or
 * null, an object missing a field), those rules are told, each at its own field. Returns the
 * errors to report, each with its message.
 */
export function collapseUnions(errors: ErrorObject[]): Array<{ error: ErrorObject; message: string }> {
  const isUnion = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  // Once per union, so a large body with many failing items stays linear in its errors.
  const branches = new Map<ErrorObject, ErrorObject[]>();
  const unionOfBranch = new Map<ErrorObject, ErrorObject>();
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath);
    if (list) list.push(e);
    else byPath.set(e.instancePath, [e]);
  }
  for (const u of errors.filter(isUnion)) {
    const own = (byPath.get(u.instancePath) ?? []).filter((b) => b !== u && b.schemaPath.startsWith(`${u.schemaPath}/`));
    branches.set(u, own);
    for (const b of own) if (!unionOfBranch.has(b)) unionOfBranch.set(b, u);
  }
  const brokenIn = (u: ErrorObject) => (branches.get(u) ?? []).some((b) => !SHAPE.has(b.keyword));
  const unionOf = (e: ErrorObject) => unionOfBranch.get(e);
  const branchesOf = (u: ErrorObject) => branches.get(u) ?? [];
  const out: Array<{ error: ErrorObject; message: string }> = [];
  for (const e of errors) {
    const union = unionOf(e);
    if (union && (!brokenIn(union) || SHAPE.has(e.keyword))) continue;
    if (isUnion(e) && !union) {
      if (!brokenIn(e)) out.push({ error: e, message: unionMessage(branchesOf(e)) });
      continue;
    }
    out.push({ error: e, message: plainMessage(e) });
  }
  return out;
}

function unionMessage(branches: ErrorObject[]): string {
  const types: string[] = [];
  const values: unknown[] = [];
  for (const b of branches) {
    const p = (b.params ?? {}) as Record<string, unknown>;
    if (b.keyword === 'type') types.push(...String(p.type).split(','));
    else if (b.keyword === 'const') values.push(p.allowedValue);
    else if (Array.isArray(p.allowedValues)) values.push(...(p.allowedValues as unknown[]));
  }
  if (values.length > 0) return `must be one of: ${[...new Set([...values.map(shown), ...types.map((t) => typeWords(t))])].join(', ')}`;
  if (types.length > 0) return `must be ${typeWords([...new Set(types)])}`;
  return 'is not an accepted value';
}

/** The envelope's `message` for a 400: every field with its first problem, "name cannot be blank; email must be an email address". */
export function summaryMessage(details: Record<string, string[]>): string {
  const parts = Object.entries(details).map(([field, messages]) => `${field} ${messages[0]}`);
  return parts.length > 0 ? parts.join('; ') : 'The request is not valid';
}
