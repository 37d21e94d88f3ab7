import type { DocumentRow } from './knowledge.repository.js';

/** A knowledge document as the API shows it; account_id stays inside. */
export function presentDocument(row: DocumentRow) {
  return {
    id: row.id,
    agent_id: row.agent_id,
    title: row.title,
    body: row.body,
    url: row.url,
    chunk_count: row.chunk_count,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type PresentedDocument = ReturnType<typeof presentDocument>;
