import { parseJsonObject } from '../../shared/json/json.js';
import type { ContactRow } from './contacts.repository.js';

/** The contact as seed 000 shows it, plus seed 004's profile fields; without an email it is a guest. */
export function presentContact(row: ContactRow) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    guest: row.email === null,
    metadata: parseJsonObject(row.metadata),
    created_at: row.created_at,
    updated_at: row.updated_at,
    first_name: row.first_name,
    last_name: row.last_name,
    phone: row.phone,
    avatar_url: row.avatar_url,
    organization_name: row.organization_name,
    external_id: row.external_id,
    claimed_email: row.claimed_email,
  };
}

export type ContactView = ReturnType<typeof presentContact>;
