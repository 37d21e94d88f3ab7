/** "Support" → "Support team"; a name that already says team ("Billing team") is left as it is. */
export function teamLabel(name: string): string {
  return /\bteam$/i.test(name.trim()) ? name.trim() : `${name.trim()} team`;
}

/** Handed to a team with nobody assigned yet: it waits in the team's queue (the server's rule, as far as a client can tell). */
export const isQueued = (c: { team_id: string | null; assignee_id: string | null; mode: string; status: string }): boolean =>
  c.team_id !== null && c.assignee_id === null && c.mode === 'manual' && c.status === 'active';
