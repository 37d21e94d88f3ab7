import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';

/** Instructions are a prompt, not a knowledge base: documents hold the long text. */
const INSTRUCTIONS_MAX = 20_000;

const HandoffAfterDeclines = Type.Integer({ minimum: 0, maximum: 20, default: 2, description: '0 = never' });

export const AgentSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
    instructions: Type.String({ description: 'The system prompt the agent answers under' }),
    keywords: Type.Array(Type.String(), { description: 'Words or phrases that emit keyword.detected when a user writes them' }),
    handoff_after_declines: Type.Integer({ description: 'Questions in a row it could not answer before it hands the conversation to a person; 0 = never' }),
    default_team_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The team its handed-off conversations go to (unless their channel names one)' }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
);

export const AgentIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const UpdateAgentBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    status: Type.Optional(StringEnum(['active', 'inactive'] as const)),
    instructions: Type.Optional(Type.String({ maxLength: INSTRUCTIONS_MAX })),
    handoff_after_declines: Type.Optional(HandoffAfterDeclines),
    default_team_id: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    keywords: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        maxItems: 100,
        description: 'Matched case-insensitively on word boundaries in user messages',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CreateAgentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    instructions: Type.Optional(Type.String({ maxLength: INSTRUCTIONS_MAX })),
    status: Type.Optional(StringEnum(['active', 'inactive'] as const)),
    handoff_after_declines: Type.Optional(HandoffAfterDeclines),
    keywords: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        maxItems: 100,
        description: 'Matched case-insensitively on word boundaries in user messages',
      }),
    ),
  },
  { additionalProperties: false },
);
