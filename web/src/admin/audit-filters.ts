/** The audit log page's filters, as the form holds them (dates are the browser's local days). */
export interface AuditFilters {
  actor: string;
  action: string;
  /** yyyy-mm-dd: entries on or after the start of that day. */
  from: string;
  /** yyyy-mm-dd: entries up to the end of that day. */
  to: string;
}

export const NO_FILTERS: AuditFilters = { actor: '', action: '', from: '', to: '' };

/** Families of actions the filter offers; the server takes exact actions too. */
export const ACTION_CHOICES: Array<[string, string]> = [
  ['auth.*', 'Sign-ins and sign-outs'],
  ['auth.sign_in_failed', 'Failed sign-ins'],
  ['member.*', 'Members'],
  ['invitation.*', 'Invitations'],
  ['api_key.*', 'API keys'],
  ['agent.*', 'AI agents'],
  ['knowledge.*', 'Knowledge'],
  ['channel.*', 'Channels'],
  ['webhook.*', 'Webhooks'],
  ['automation.*', 'Automations'],
  ['team.*', 'Teams'],
  ['conversation_state.*', 'Conversation states'],
  ['settings.*', 'Settings and retention'],
  ['contact.*', 'Contacts: erasures and exports'],
  ['export.*', 'Bulk exports'],
];

/** The query of GET /api/v1/audit_log for these filters; a day's bounds in the browser's zone. */
export function auditQuery(filters: AuditFilters): { actor?: string; action?: string; since?: string; until?: string } {
  const dayStart = (day: string, plusDays = 0) => {
    const [y, m, d] = day.split('-').map(Number);
    const at = new Date(y!, m! - 1, d! + plusDays);
    return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
  };
  return {
    actor: filters.actor.trim() || undefined,
    action: filters.action.trim() || undefined,
    since: filters.from ? dayStart(filters.from) : undefined,
    until: filters.to ? dayStart(filters.to, 1) : undefined,
  };
}

const NAMED: Record<string, string> = {
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Failed sign-in',
  'auth.sign_out': 'Signed out',
};

/** An action as words: "member.role_changed" → "Member role changed". */
export function actionLabel(action: string): string {
  if (NAMED[action]) return NAMED[action];
  const words = action.replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Who acted, for the table: the email or key prefix kept at the time, else what kind of actor. */
export function actorLabel(actor: { type: string; name: string | null }): string {
  if (actor.type === 'system') return actor.name ? `Parley (${actor.name})` : 'Parley';
  if (actor.type === 'api_key') return actor.name ? `API key ${actor.name}…` : 'An API key';
  if (actor.type === 'anonymous') return actor.name ?? 'Someone not signed in';
  return actor.name ?? 'A former member';
}
