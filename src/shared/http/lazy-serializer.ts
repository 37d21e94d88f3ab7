import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Factory = ReturnType<typeof SerializerSelector>;
type Schema = Record<string | symbol, unknown>;

const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

/** `{type: 'string', …}`-like: a scalar with nothing nested that serialization would need. */
const isScalar = (s: unknown): s is Schema =>
  typeof s === 'object' && s !== null && typeof (s as Schema).type === 'string' && SCALARS.has((s as Schema).type as string) &&
  !('anyOf' in s) && !('oneOf' in s) && !('allOf' in s);
const isNull = (s: unknown) => typeof s === 'object' && s !== null && (s as Schema).type === 'null';
/** `{type: 'object', properties: …}`: an object whose fields serialization can list. */
const isPlainObjectSchema = (s: unknown): s is Schema =>
  typeof s === 'object' && s !== null && (s as Schema).type === 'object' && typeof (s as Schema).properties === 'object' &&
  !('anyOf' in s) && !('oneOf' in s) && !('allOf' in s);

/**
 * The response schema as fast-json-stringify is given it: `anyOf: [scalar, null]` (TypeBox's
 * nullable fields) becomes `type: [scalar, 'null']`. For an anyOf, fast-json-stringify runs an
 * Ajv validation of the value against each branch, with its format, for every field of every row
 * (a tenth of a 20-conversation list's CPU); a type list is a typeof check. The format is dropped
 * with it, so the string is escaped like any other instead of trusted as a date or uuid. Likewise
 * `anyOf: [object, null]` (an embedded object that may be missing, such as a list row's contact)
 * becomes the object marked `nullable`, whose null is a single check: as an anyOf, every row's
 * object was validated whole, formats included (a third of a 50-row inbox page's time). Only the
 * serializer sees this copy; validation and the OpenAPI document keep the schema as written.
 */
export function serializationSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(serializationSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Schema;
  const any = s.anyOf;
  if (Array.isArray(any) && any.length === 2 && any.some(isNull) && any.some(isScalar)) {
    const { anyOf: _anyOf, ...rest } = s;
    const { format: _format, ...scalar } = any.find(isScalar)!;
    return { ...rest, ...scalar, type: [scalar.type, 'null'] };
  }
  if (Array.isArray(any) && any.length === 2 && any.some(isNull) && any.some(isPlainObjectSchema)) {
    const { anyOf: _anyOf, ...rest } = s;
    const { $id: _id, ...object } = serializationSchema(any.find(isPlainObjectSchema)!) as Schema;
    return { ...serializationSchema(rest) as Schema, ...object, nullable: true };
  }
  const out: Schema = {};
  for (const key of Reflect.ownKeys(s)) out[key] = serializationSchema(s[key]);
  return out;
}

/**
 * Fastify's own response serializer (fast-json-stringify), compiled on a route's first response
 * instead of at start-up: building a hundred serializers eagerly was a large part of cold start.
 */
export function lazySerializerFactory(): Factory {
  const build = SerializerSelector();
  return ((externalSchemas: unknown, options: unknown) => {
    const compile = (build as (e: unknown, o: unknown) => (route: unknown) => (data: unknown) => string)(externalSchemas, options);
    return (route: { schema: unknown }) => {
      let serialize: ((data: unknown) => string) | null = null;
      return (data: unknown) => (serialize ??= compile({ ...route, schema: serializationSchema(route.schema) }))(data);
    };
  }) as Factory;
}
