import type { InvitationRow } from './invitations.repository.js';

/** A pending invitation as admins see it: never the token or its hash. */
export function presentInvitation(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    expires_at: row.expires_at,
    created_at: row.created_at,
    created_by: row.created_by,
  };
}

/** A just-created invitation with its link, the one time the link is ever shown. */
export function presentCreatedInvitation(row: InvitationRow, url: string) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    url,
    expires_at: row.expires_at,
    created_at: row.created_at,
  };
}

/** What the invitation page shows the person invited, before they sign up. */
export function presentPublicInvitation(row: InvitationRow, workspaceName: string) {
  return { email: row.email, name: row.name, role: row.role, workspace: { name: workspaceName } };
}
