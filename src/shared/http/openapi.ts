import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { OPERATIONS, TAGS } from './openapi-operations.js';

/**
 * The options the OpenAPI document is generated with: its header (info, servers, security), and
 * the one place every documented route passes through on its way in, which gives the operation its
 * operationId and description from OPERATIONS (see openapi-operations.ts).
 */
export function openapiOptions(): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parley API',
        version: '1.0.0',
        description:
          'AI agents that talk with your customers, and the people who take over. All endpoints live under /api/v1 and answer in the `{"data": …}` envelope.',
        contact: { name: 'Parley' },
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // Relative: the document is served by the server it describes, wherever that runs.
      servers: [{ url: '/', description: 'The Parley server that serves this document' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An agent API key: sk_live_… or sk_test_…' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: ({ schema, url, route }) => {
      if (!schema || schema.hide) return { schema, url };
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const doc = OPERATIONS[`${methods[0]} ${url}`];
      if (!doc) return { schema, url };
      const own = schema as { description?: string; response?: Record<string, unknown> };
      const response = doc.eventStream
        ? { 200: { description: doc.eventStream, content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...own.response }
        : own.response;
      return { schema: { ...schema, operationId: doc.id, description: own.description ?? doc.description, response }, url };
    },
    transformObject: (documentObject) => {
      const document = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      const used = new Set<string>();
      for (const item of Object.values((document as { paths?: Record<string, Record<string, { tags?: string[] }>> }).paths ?? {})) {
        for (const operation of Object.values(item)) for (const tag of operation.tags ?? []) used.add(tag);
      }
      const tags = Object.entries(TAGS)
        .filter(([name]) => used.has(name))
        .map(([name, description]) => ({ name, description }));
      return toJsonSchema2020({ ...document, tags }) as typeof document;
    },
  };
}

/**
 * TypeBox writes a tuple the draft-07 way (`items: […]`, `additionalItems: false`), which OpenAPI
 * 3.1 (JSON Schema 2020-12) spells `prefixItems: […]`.
 */
function toJsonSchema2020(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema2020);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const object = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(object)) out[key] = toJsonSchema2020(child);
  if (Array.isArray(object.items)) {
    const prefix = out.items as unknown[];
    out.prefixItems = prefix;
    // Spectral wants an `items` schema beside; with maxItems the prefix length, it adds nothing.
    const same = prefix.every((item) => JSON.stringify(item) === JSON.stringify(prefix[0]));
    out.items = same ? prefix[0] : { anyOf: prefix };
    delete out.additionalItems;
  }
  return out;
}
