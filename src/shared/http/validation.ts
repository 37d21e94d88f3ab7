import Ajv, { type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { collapseUnions } from './validation-messages.js';
import { UUID_PATTERN } from '../ids.js';

/**
 * Bodies are validated without type coercion (`"stream": "true"` is a 400, not true); query strings
 * and path parameters are text on the wire, so they are coerced.
 */
export function registerValidators(app: FastifyInstance): void {
  const common = { useDefaults: true, removeAdditional: false, allErrors: true, strict: false } as const;
  const bodyAjv = new Ajv.default({ ...common, coerceTypes: false });
  const textAjv = new Ajv.default({ ...common, coerceTypes: 'array' });
  for (const ajv of [bodyAjv, textAjv]) {
    addFormats.default(ajv);
    ajv.addFormat('uuid', UUID_PATTERN);
    ajv.addKeyword({
      keyword: LOWERCASE,
      modifying: true,
      schemaType: 'boolean',
      errors: false,
      validate: (_on: boolean, data: unknown, _parent?: unknown, at?: { parentData?: unknown; parentDataProperty?: string | number }) => {
        const holder = at?.parentData as Record<string | number, unknown> | undefined;
        if (typeof data === 'string' && holder && at?.parentDataProperty !== undefined && /[A-F]/.test(data)) {
          holder[at.parentDataProperty] = data.toLowerCase();
        }
        return true;
      },
    });
  }
  // Compiled on a route's first request rather than at start-up: with a hundred routes, eager
  // compilation was most of the cold start. Fastify reads `errors` off the function it was given.
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : textAjv;
    let compiled: ValidateFunction | null = null;
    const validate = (data: unknown) => {
      compiled ??= ajv.compile(lowercasingUuids(schema) as AnySchema);
      const ok = compiled(data);
      validate.errors = compiled.errors;
      return ok;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  });
}

/** Marks a uuid in a request schema to be handed on lower-cased (see lowercasingUuids). */
const LOWERCASE = 'x-parley-lowercase';

/**
 * UUIDs are case-insensitive on input (RFC 9562) and stored lower-case, so an id sent in upper
 * case (SQL Server and some SDKs print them so) must find the same row: every `format: "uuid"` of
 * a request schema gets a keyword that lower-cases the value in place once it has passed. Only
 * values the schema calls uuids change — never a metadata value or a message's text. A copy: the
 * route's schema (and the OpenAPI document made from it) stays as written.
 */
function lowercasingUuids(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowercasingUuids);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = lowercasingUuids(value);
  if (copy.format === 'uuid') copy[LOWERCASE] = true;
  return copy;
}

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** Ajv's errors as seed 000's `details`: `{"field": ["message", …]}`, in plain words (validation-messages.ts). */
export function validationDetails(
  errors: FastifySchemaValidationError[] | ErrorObject[],
  context: string | undefined,
): Record<string, string[]> {
  // No prototype: a field named `constructor` or `__proto__` is a key like any other.
  const details: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const { error: e, message } of collapseUnions(errors as ErrorObject[])) {
    const params = (e.params ?? {}) as Record<string, unknown>;
    let field = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const named = e.keyword === 'required' ? params.missingProperty : e.keyword === 'additionalProperties' ? params.additionalProperty : undefined;
    if (typeof named === 'string') field = field ? `${field}.${named}` : named;
    const key = field || PART_NAMES[context ?? 'body'] || 'body';
    const messages = (details[key] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return details;
}
