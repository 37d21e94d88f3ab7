import { forbidden } from '../errors/errors.js';
import type { MemberPrincipal, Principal } from './principal.js';

/** Member-only routes (sessions, passwords, members): an API key gets 403. */
export function requireMember(principal: Principal): MemberPrincipal {
  if (principal.kind !== 'member') throw forbidden('This route is for signed-in members, not API keys');
  return principal;
}

/** Admin-only routes: a member with role `agent`, or an API key, gets 403. */
export function requireAdmin(principal: Principal): MemberPrincipal {
  const member = requireMember(principal);
  if (member.role !== 'admin') throw forbidden('Only admins can do this');
  return member;
}

/** Admins and API keys (integrations manage channels, webhooks, automations); agent members get 403. */
export function requireAdminOrKey(principal: Principal): void {
  if (principal.kind === 'member' && principal.role !== 'admin') throw forbidden('Only admins can do this');
}

/** The member id to record as a message's author, or null for an API key. */
export function authorIdOf(principal: Principal): string | null {
  return principal.kind === 'member' ? principal.memberId : null;
}
