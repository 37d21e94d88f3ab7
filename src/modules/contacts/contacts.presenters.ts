import { parseJsonObject } from '../../shared/json/json.js';
import type { ContactRow } from './contacts.repository.js';

/** The contact as seed 000 shows it; a contact without an email is a guest. */
export function presentContact(row: ContactRow) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    guest: row.email === null,
    metadata: parseJsonObject(row.metadata),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type ContactView = ReturnType<typeof presentContact>;
