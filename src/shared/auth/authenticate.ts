import type { ApiKeysRepository } from '../../modules/api-keys/api-keys.repository.js';
import { prefixOf, secretMatches } from '../../modules/api-keys/api-keys.secrets.js';
import { unauthorized } from '../errors/errors.js';
import { nowIso } from '../time.js';
import type { Principal } from './principal.js';

/** last_used_at is written at most this often per key, so reads stay reads. */
const TOUCH_INTERVAL_MS = 60_000;

export function createAuthenticator({ apiKeys }: { apiKeys: ApiKeysRepository }) {
  /** Resolves an Authorization header to a principal, or throws 401 without saying which part was wrong. */
  return async function authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) throw unauthorized('Missing API key: send Authorization: Bearer <api-key>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthorized('Authorization header must be "Bearer <api-key>"');
    const secret = match[1];
    const prefix = prefixOf(secret);
    if (!prefix) throw unauthorized('Invalid API key');
    const key = await apiKeys.findByPrefix(prefix);
    if (!key || !secretMatches(secret, key.key_hash) || key.revoked_at) throw unauthorized('Invalid API key');
    const now = Date.now();
    if (!key.last_used_at || now - Date.parse(key.last_used_at) > TOUCH_INTERVAL_MS) {
      // Bookkeeping only: a failed write must not fail the caller's request.
      apiKeys.touch(key.id, nowIso()).catch(() => {});
    }
    return { kind: 'api_key', accountId: key.account_id, agentId: key.agent_id, keyId: key.id };
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;
