import { Type } from '@sinclair/typebox';

export const KnowledgeDocumentSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    agent_id: Type.String({ format: 'uuid' }),
    title: Type.String(),
    body: Type.String(),
    url: Type.Union([Type.String(), Type.Null()]),
    chunk_count: Type.Integer({ description: 'How many searchable passages the body was split into' }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'KnowledgeDocument' },
);

export const AgentDocumentsParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const DocumentParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  document_id: Type.String({ format: 'uuid' }),
});

export const TITLE_MAX = 500;
export const BODY_MAX = 500_000;
const URL_MAX = 2048;

const Title = Type.String({ minLength: 1, maxLength: TITLE_MAX });
const Body = Type.String({ minLength: 1, maxLength: BODY_MAX, description: 'Plain text or markdown' });
/** A string or null in one schema, so errors name the real problem rather than "anyOf". */
const Url = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  format: 'uri',
  maxLength: URL_MAX,
  description: 'An http or https link to the original article',
});

export const CreateDocumentBody = Type.Object(
  { title: Title, body: Body, url: Type.Optional(Url) },
  { additionalProperties: false },
);

export const UpdateDocumentBody = Type.Object(
  { title: Type.Optional(Title), body: Type.Optional(Body), url: Type.Optional(Url) },
  { additionalProperties: false },
);

export interface DocumentInput {
  title: string;
  body: string;
  url?: string | null;
}

export interface DocumentPatch {
  title?: string;
  body?: string;
  url?: string | null;
}
