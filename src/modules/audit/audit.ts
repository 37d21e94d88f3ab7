/**
 * The audit log: who changed what in a workspace, which record, when and from which address, and
 * every sign-in, failed ones included.
 *
 * How an entry gets written:
 * - Routes: `audit.actions.ts` maps every audited route ('POST /api/v1/members', …) to its action
 *   and the record it is about; the hook in `audit.hooks.ts` (registered in the /api/v1 scope,
 *   after authentication) writes the entry in onSend, before the answer leaves, for 2xx answers
 *   only, and never for an Idempotency-Key replay. A test fails for any route that changes or
 *   deletes something and is neither mapped there nor listed as not audited, so a new route must
 *   decide.
 * - Where the route alone cannot say enough (settings' before and after, a sign-in with its email,
 *   work done outside a request such as an erasure by retention), the code calls `record` itself,
 *   within its own transaction when it has one; such a route is mapped with `explicit: true`, so
 *   the hook leaves it alone.
 * Details never hold a secret: `record` drops any key that names one (password, secret, token,
 * key hash, authorization…) however deep, whatever the caller passed.
 */
import type { Executor } from '../../shared/db/database.js';
import type { AuditActorType } from '../../shared/db/schema.js';
import type { Principal } from '../../shared/auth/principal.js';
import { nowIso } from '../../shared/time.js';
import type { AuditRepository } from './audit.repository.js';
import { createAuditUseCases } from './audit.usecases.js';

export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  /** The member's email or the key's prefix; looked up from `id` when left out. */
  name?: string | null;
}

export interface AuditEntry {
  /** Null only for a failed sign-in with an email no member has. */
  accountId: string | null;
  /** A request's principal, or the actor spelled out; null: Parley itself ('system'). */
  actor: Principal | AuditActor | null;
  /** Dotted: 'member.created', 'auth.sign_in_failed', 'contact.erased', … */
  action: string;
  target?: { type: string; id: string | number | null } | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Keys whose values are never written to the log, at any depth of `details`. */
const SECRET_KEY = /pass(word)?|secret|token|api_?key|key_hash|hash|authorization|cookie|credential|private/i;

/** `details` with every secret-looking key dropped (and values that are not JSON left out). */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(k) || v === undefined || typeof v === 'function') continue;
      out[k] = withoutSecrets(v);
    }
    return out;
  }
  return value;
}

function isPrincipal(actor: Principal | AuditActor): actor is Principal {
  return 'kind' in actor;
}

export function createAudit({ audit }: { audit: AuditRepository }) {
  async function actorOf(accountId: string | null, actor: AuditEntry['actor'], executor?: Executor): Promise<Required<AuditActor>> {
    if (actor === null) return { type: 'system', id: null, name: null };
    let resolved: AuditActor;
    if (isPrincipal(actor)) {
      if (actor.kind === 'member') resolved = { type: 'member', id: actor.memberId };
      else if (actor.kind === 'api_key') resolved = { type: 'api_key', id: actor.keyId };
      else resolved = { type: 'system', id: null, name: actor.source };
    } else resolved = actor;
    let name = resolved.name;
    if (name === undefined) {
      name =
        accountId !== null && resolved.id !== null && (resolved.type === 'member' || resolved.type === 'api_key')
          ? await audit.actorName(resolved.type, accountId, resolved.id, executor)
          : null;
    }
    return { type: resolved.type, id: resolved.id, name };
  }

  return {
    /**
     * Appends one entry; pass the transaction of the change when there is one, so that the entry
     * commits (or not) with it.
     */
    async record(entry: AuditEntry, executor?: Executor): Promise<void> {
      const actor = await actorOf(entry.accountId, entry.actor, executor);
      await audit.insert(
        {
          account_id: entry.accountId,
          actor_type: actor.type,
          actor_id: actor.id,
          actor_name: actor.name,
          action: entry.action,
          target_type: entry.target?.type ?? null,
          target_id: entry.target?.id === undefined || entry.target?.id === null ? null : String(entry.target.id),
          details: JSON.stringify(withoutSecrets(entry.details ?? {})),
          ip: entry.ip ?? null,
          created_at: nowIso(),
        },
        executor,
      );
    },
    /** The workspace's entries, newest first, for admins. */
    list: createAuditUseCases({ audit }).list,
    /** For the route hook (audit.hooks.ts). */
    repository: audit,
  };
}

export type Audit = ReturnType<typeof createAudit>;
