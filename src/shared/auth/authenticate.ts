import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyRow, ApiKeysRepository } from '../../modules/api-keys/api-keys.repository.js';
import { prefixOf, secretMatches } from '../../modules/api-keys/api-keys.secrets.js';
import type { SessionsRepository, SessionWithMember } from '../../modules/auth/sessions.repository.js';
import {
  clearedSessionCookie,
  csrfMatches,
  hashSessionToken,
  isSessionLive,
  isWellFormedToken,
  readCookie,
  SESSION_COOKIE,
  SESSION_TOUCH_MS,
} from '../../modules/auth/auth.sessions.js';
import type { Database } from '../db/database.js';
import { createStampedCache } from '../db/stamped-cache.js';
import { forbidden, unauthorized } from '../errors/errors.js';
import { nowIso } from '../time.js';
import type { ApiKeyPrincipal, MemberPrincipal, Principal } from './principal.js';

/** last_used_at is written at most this often per key, so reads stay reads. */
const TOUCH_INTERVAL_MS = 60_000;

/** Keys and sessions are read from memory while `authChanges` stays the same (SQLite); null: never. */
type AuthChanges = Database['authChanges'];

export function createApiKeyAuthenticator({ apiKeys, authChanges = null }: { apiKeys: ApiKeysRepository; authChanges?: AuthChanges }) {
  // Keyed by prefix: the secret is still hashed and compared on every request.
  const keys = createStampedCache<ApiKeyRow>(authChanges);
  /** Resolves an Authorization header to a principal, or throws 401 without saying which part was wrong. */
  return async function authenticateApiKey(authorization: string): Promise<ApiKeyPrincipal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthorized('Authorization header must be "Bearer <api-key>"');
    const secret = match[1];
    const prefix = prefixOf(secret);
    if (!prefix) throw unauthorized('Invalid API key');
    const key = await keys(prefix, () => apiKeys.findByPrefix(prefix));
    if (!key || !secretMatches(secret, key.key_hash) || key.revoked_at) throw unauthorized('Invalid API key');
    const now = Date.now();
    if (!key.last_used_at || now - Date.parse(key.last_used_at) > TOUCH_INTERVAL_MS) {
      // Bookkeeping only: a failed write must not fail the caller's request.
      apiKeys.touch(key.id, nowIso()).catch(() => {});
    }
    return { kind: 'api_key', accountId: key.account_id, agentId: key.agent_id, keyId: key.id };
  };
}

/** Methods that change nothing, so a cookie alone may call them (no CSRF token needed). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createSessionAuthenticator({ sessions, authChanges = null }: { sessions: SessionsRepository; authChanges?: AuthChanges }) {
  const byTokenHash = createStampedCache<SessionWithMember>(authChanges);
  /** Resolves a session cookie's token to a member principal and the session's CSRF token, or 401. */
  return async function authenticateSession(token: string): Promise<{ principal: MemberPrincipal; csrfToken: string }> {
    const invalid = () => unauthorized('Session is invalid or has expired; sign in again');
    if (!isWellFormedToken(token)) throw invalid();
    const tokenHash = hashSessionToken(token);
    const session = await byTokenHash(tokenHash, () => sessions.findByTokenHash(tokenHash));
    const now = Date.now();
    if (!session || !isSessionLive(session, now)) throw invalid();
    if (now - Date.parse(session.last_seen_at) > SESSION_TOUCH_MS) {
      // Bookkeeping only: a failed write must not fail the caller's request.
      sessions.touch(session.account_id, session.id, new Date(now).toISOString()).catch(() => {});
    }
    return {
      principal: {
        kind: 'member',
        accountId: session.account_id,
        memberId: session.member_id,
        role: session.role,
        sessionId: session.id,
      },
      csrfToken: session.csrf_token,
    };
  };
}

/**
 * Every /api/v1 request: an `Authorization: Bearer` API key, else the session cookie. A cookie is
 * sent by the browser on its own, so requests that change state must also prove they come from
 * the inbox with the session's `X-CSRF-Token` (403 otherwise).
 */
export function createAuthenticator({
  apiKeys,
  sessions,
  authChanges = null,
}: {
  apiKeys: ApiKeysRepository;
  sessions: SessionsRepository;
  authChanges?: AuthChanges;
}) {
  const authenticateApiKey = createApiKeyAuthenticator({ apiKeys, authChanges });
  const authenticateSession = createSessionAuthenticator({ sessions, authChanges });
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization) return authenticateApiKey(authorization);
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (token === undefined) throw unauthorized('Missing credentials: send Authorization: Bearer <api-key> or sign in');
    let resolved: Awaited<ReturnType<typeof authenticateSession>>;
    try {
      resolved = await authenticateSession(token);
    } catch (e) {
      // A dead cookie is cleared, so the browser stops sending it.
      reply.header('set-cookie', clearedSessionCookie({ secure: request.protocol === 'https' }));
      throw e;
    }
    if (!SAFE_METHODS.has(request.method)) {
      const presented = request.headers['x-csrf-token'];
      if (!csrfMatches(typeof presented === 'string' ? presented : undefined, resolved.csrfToken)) {
        throw forbidden('Missing or invalid CSRF token: send the X-CSRF-Token header given at sign-in');
      }
    }
    return resolved.principal;
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;
