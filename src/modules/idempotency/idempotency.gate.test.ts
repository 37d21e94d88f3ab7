import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/helpers.js';
import { isAppError } from '../../shared/errors/errors.js';
import { createIdempotencyRepository, type IdempotencyScope } from './idempotency.repository.js';
import { createIdempotencyGate, fingerprint, type IdempotentRequest } from './idempotency.usecases.js';

/** The claim, wait and take-over rules over real storage, with timings short enough to test (the purge: retention.test.ts). */
describe.each(DIALECTS)('idempotency claims on %s', (dialect) => {
  let tdb: TestDatabase;
  const accountId = randomUUID();
  beforeAll(async () => {
    tdb = await openTestDatabase(dialect);
    const now = new Date().toISOString();
    await tdb.database.db
      .insertInto('accounts')
      .values({ id: accountId, name: 'Gate', timezone: 'UTC', idle_end_minutes: 0, created_at: now, updated_at: now })
      .execute();
  });
  afterAll(async () => tdb.cleanup());

  const keys = () => createIdempotencyRepository({ db: tdb.database.db });
  const request = (key = randomUUID(), body: unknown = { name: 'x' }): IdempotentRequest => ({
    scope: { accountId, principal: 'api_key:k1', key } satisfies IdempotencyScope,
    method: 'POST',
    path: '/api/v1/contacts',
    fingerprint: fingerprint({}, body),
  });
  const rowOf = (key: string) =>
    tdb.database.db.selectFrom('idempotency_keys').selectAll().where('account_id', '=', accountId).where('key', '=', key).executeTakeFirst();

  it('answers 409 when the first request is still in flight after the wait', async () => {
    const gate = createIdempotencyGate({ keys: keys(), waitMs: 300, pollMs: 20 });
    const req = request();
    const first = await gate.begin(req);
    expect(first.kind).toBe('owner');
    const started = Date.now();
    const err = await gate.begin(req).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(isAppError(err) && err.code).toBe('CONFLICT');
    if (first.kind === 'owner') await first.lease.store({ status: 201, body: '{"ok":true}', contentType: 'application/json' });
    const replay = await gate.begin(req);
    expect(replay).toEqual({ kind: 'replay', response: { status: 201, body: '{"ok":true}', contentType: 'application/json' } });
  });

  it('keeps a long request claimed by renewing its lease', async () => {
    const gate = createIdempotencyGate({ keys: keys(), leaseMs: 150, waitMs: 100, pollMs: 20 });
    const req = request();
    const first = await gate.begin(req);
    const before = (await rowOf(req.scope.key))!.locked_until!;
    await new Promise((r) => setTimeout(r, 400));
    const after = (await rowOf(req.scope.key))!.locked_until!;
    expect(after > before).toBe(true);
    const err = await gate.begin(req).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('CONFLICT');
    if (first.kind === 'owner') await first.lease.release();
    expect(await rowOf(req.scope.key)).toBeUndefined();
  });

  it('lets a retry take over a claim whose process died, and fences the old holder out', async () => {
    const gate = createIdempotencyGate({ keys: keys(), waitMs: 2000, pollMs: 20 });
    const req = request();
    // A claim from a process that is gone: its lease ran out a moment ago.
    const old = new Date(Date.now() - 1000).toISOString();
    await tdb.database.db
      .insertInto('idempotency_keys')
      .values({
        account_id: accountId,
        principal: req.scope.principal,
        key: req.scope.key,
        method: req.method,
        path: req.path,
        request_hash: req.fingerprint,
        status: 'in_flight',
        response_status: null,
        response_body: null,
        response_type: null,
        locked_until: old,
        created_at: old,
      })
      .execute();
    const claim = await gate.begin(req);
    expect(claim.kind).toBe('owner');
    // The dead holder's lease value no longer matches: it can neither store nor delete.
    await keys().complete(req.scope, old, { status: 200, body: 'stale', contentType: null });
    await keys().release(req.scope, old);
    expect((await rowOf(req.scope.key))!.status).toBe('in_flight');
    if (claim.kind === 'owner') await claim.lease.store({ status: 201, body: 'fresh', contentType: 'text/plain' });
    expect(await rowOf(req.scope.key)).toMatchObject({ status: 'done', response_status: 201, response_body: 'fresh' });
  });

  it('refuses the same key for a different body even while the first is in flight', async () => {
    const gate = createIdempotencyGate({ keys: keys(), waitMs: 2000 });
    const key = randomUUID();
    await gate.begin(request(key, { name: 'a' }));
    const err = await gate.begin(request(key, { name: 'b' })).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('UNPROCESSABLE_ENTITY');
  });

  it('fingerprints JSON regardless of key order, and leaves password values out', () => {
    expect(fingerprint({}, { a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(fingerprint({}, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
    expect(fingerprint({}, { a: 1 })).not.toBe(fingerprint({}, { a: 2 }));
    expect(fingerprint({ x: '1' }, {})).not.toBe(fingerprint({}, {}));
    expect(fingerprint({}, { email: 'a@b.c', password: 'one' })).toBe(fingerprint({}, { email: 'a@b.c', password: 'two' }));
  });
});
