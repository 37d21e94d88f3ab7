import { Type, type TSchema } from '@sinclair/typebox';
import { PaginationSchema } from '../pagination/pagination.js';

/** `{"data": …}` */
export const dataOf = <T extends TSchema>(schema: T) => Type.Object({ data: schema });

/** `{"data": […], "pagination": {"cursor", "has_more"}}` */
export const collectionOf = <T extends TSchema>(schema: T) =>
  Type.Object({ data: Type.Array(schema), pagination: PaginationSchema });

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: 'Error' },
);

/** The error responses a route documents, by status. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('Error')]));
}

/** Free-form JSON object (metadata). */
export const MetadataSchema = Type.Record(Type.String(), Type.Unknown());

/** A string enum as one JSON-schema `enum` (clear errors, compact OpenAPI) with a literal-union type. */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
