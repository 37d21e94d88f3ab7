import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Factory = ReturnType<typeof SerializerSelector>;

/**
 * Fastify's own response serializer (fast-json-stringify), compiled on a route's first response
 * instead of at start-up: building a hundred serializers eagerly was a large part of cold start.
 */
export function lazySerializerFactory(): Factory {
  const build = SerializerSelector();
  return ((externalSchemas: unknown, options: unknown) => {
    const compile = (build as (e: unknown, o: unknown) => (route: unknown) => (data: unknown) => string)(externalSchemas, options);
    return (route: unknown) => {
      let serialize: ((data: unknown) => string) | null = null;
      return (data: unknown) => (serialize ??= compile(route))(data);
    };
  }) as Factory;
}
