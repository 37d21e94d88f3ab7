import type { MemberRow } from './members.repository.js';
import { availabilityOf } from '../teams/teams.assignment.js';

/** A member as the API shows it: never the password hash. */
export function presentMember(row: MemberRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    availability: availabilityOf(row),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type MemberView = ReturnType<typeof presentMember>;
