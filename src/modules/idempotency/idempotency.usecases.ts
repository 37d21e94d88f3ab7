import { createHash } from 'node:crypto';
import { conflict, unprocessable } from '../../shared/errors/errors.js';
import type { IdempotencyRepository, IdempotencyScope, StoredResponse } from './idempotency.repository.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotentRequest {
  scope: IdempotencyScope;
  method: string;
  path: string;
  /** fingerprint() of the query and body. */
  fingerprint: string;
}

/** A claim held by this request: store its response, or release it so a retry runs again. */
export interface Lease {
  store(response: StoredResponse): Promise<void>;
  release(): Promise<void>;
}

export type Claim = { kind: 'owner'; lease: Lease } | { kind: 'replay'; response: StoredResponse };

export interface IdempotencyOptions {
  keys: IdempotencyRepository;
  /** A claim's lease; renewed every third of it while the request runs, so only a dead process loses it. */
  leaseMs?: number;
  /** How long a retry waits for the first request to finish before answering 409. */
  waitMs?: number;
  pollMs?: number;
  ttlMs?: number;
}

/** Values of fields named like a password are left out of the fingerprint: a fast hash of them would be a weak copy. */
const SECRET_FIELD = /password/i;

/**
 * A stable hash of what a request asks for: the same JSON in any key order hashes the same.
 * Method and path are compared separately.
 */
export function fingerprint(query: unknown, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ query: query ?? {}, body: body ?? null })).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${SECRET_FIELD.test(k) ? '"[secret]"' : canonicalJson(v)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The rules of Idempotency-Key, apart from HTTP: the first request with a key claims it; a retry
 * with the same request replays the stored response, or waits while the first is in flight; the
 * same key for another request is 422.
 */
export function createIdempotencyGate({
  keys,
  leaseMs = 30_000,
  waitMs = 30_000,
  pollMs = 50,
  ttlMs = IDEMPOTENCY_TTL_MS,
}: IdempotencyOptions) {
  const iso = (ms: number) => new Date(ms).toISOString();

  function holdLease(scope: IdempotencyScope, initial: string): Lease {
    let current = initial;
    let settled = false;
    // A renewal may be on the wire when the request finishes: wait for it, so the final write uses
    // the lease token the row actually holds.
    let renewing: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(() => {
      const next = iso(Date.now() + leaseMs);
      renewing = keys.renew(scope, current, next).then(
        (held) => {
          if (held) current = next;
          else clearInterval(heartbeat);
        },
        // A failed renewal is retried on the next beat; the lease still has two thirds left.
        () => {},
      );
    }, Math.max(10, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    const settle = () => {
      if (settled) return false;
      settled = true;
      clearInterval(heartbeat);
      return true;
    };
    return {
      async store(response) {
        if (!settle()) return;
        await renewing;
        await keys.complete(scope, current, response);
      },
      async release() {
        if (!settle()) return;
        await renewing;
        await keys.release(scope, current);
      },
    };
  }

  return {
    /** Claims the key for this request, or returns the response to replay; 422 on a mismatch, 409 after waiting too long. */
    async begin(request: IdempotentRequest): Promise<Claim> {
      const { scope } = request;
      const deadline = Date.now() + waitMs;
      let delay = pollMs;
      for (;;) {
        const now = Date.now();
        const lease = iso(now + leaseMs);
        const claimed = await keys.claim({
          account_id: scope.accountId,
          principal: scope.principal,
          key: scope.key,
          method: request.method,
          path: request.path,
          request_hash: request.fingerprint,
          status: 'in_flight',
          response_status: null,
          response_body: null,
          response_type: null,
          locked_until: lease,
          created_at: iso(now),
        });
        if (claimed) return { kind: 'owner', lease: holdLease(scope, lease) };

        const row = await keys.find(scope);
        if (row) {
          const leaseOver = row.locked_until === null || Date.parse(row.locked_until) <= now;
          if (Date.parse(row.created_at) <= now - ttlMs && (row.status === 'done' || leaseOver)) {
            // Older than a day but not purged yet: the key is free again.
            await keys.removeExpired(scope, row.created_at);
            continue;
          }
          if (row.method !== request.method || row.path !== request.path || row.request_hash !== request.fingerprint) {
            throw unprocessable('This Idempotency-Key was already used for a different request', {
              'idempotency-key': ['was used with a different method, path or body'],
            });
          }
          if (row.status === 'done') {
            return {
              kind: 'replay',
              response: { status: row.response_status ?? 200, body: row.response_body ?? '', contentType: row.response_type },
            };
          }
          if (leaseOver) {
            const next = iso(now + leaseMs);
            if (await keys.takeOver(scope, iso(now), next)) return { kind: 'owner', lease: holdLease(scope, next) };
            continue;
          }
        }
        // In flight elsewhere (or just released): look again shortly, up to the deadline.
        const left = deadline - Date.now();
        if (left <= 0) {
          throw conflict('A request with this Idempotency-Key is still in progress; retry later', {
            'idempotency-key': ['is in use by a request that has not finished'],
          });
        }
        if (row) {
          await sleep(Math.min(delay, left));
          delay = Math.min(delay * 2, 500);
        }
      }
    },
  };
}

export type IdempotencyGate = ReturnType<typeof createIdempotencyGate>;
