import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';

const nullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

/** A key as listed: the prefix identifies it; the secret and its hash never appear. */
export const ApiKeySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  agent_id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it by' }),
  mode: StringEnum(['live', 'test'] as const),
  last_used_at: nullableTime,
  revoked_at: nullableTime,
  created_at: Type.String({ format: 'date-time' }),
});

/** The key as created: the only time its secret is shown. */
export const CreatedApiKeySchema = Type.Composite([
  ApiKeySchema,
  Type.Object({ secret: Type.String({ description: 'The API key itself; shown once, store it now' }) }),
]);

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    mode: Type.Optional(StringEnum(['live', 'test'] as const)),
  },
  { additionalProperties: false },
);

export const AgentKeysParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const AgentKeyParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  key_id: Type.String({ format: 'uuid' }),
});
