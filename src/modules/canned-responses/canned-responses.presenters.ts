import type { CannedResponseRow } from './canned-responses.repository.js';

export function presentCannedResponse(row: CannedResponseRow) {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    content: row.content,
    scope: row.scope,
    owner_id: row.scope === 'personal' ? row.owner_key : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type CannedResponseView = ReturnType<typeof presentCannedResponse>;
