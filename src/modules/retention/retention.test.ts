import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, openSecondHandle, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { createEventLog } from '../events/events.log.js';
import { createEventsRepository } from '../events/events.repository.js';
import type { Database } from '../../shared/db/database.js';
import { createTaskSchedule } from '../../shared/tasks/schedule.js';
import { createRetention, RetentionStopped, type PrunedBatch, type RetentionOptions } from './retention.js';
import { createRetentionTask } from './retention.task.js';

const DAY = 86_400_000;
const ago = (days: number, from = Date.now()) => new Date(from - days * DAY).toISOString();

describe.each(DIALECTS)('retention on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let accountId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    accountId = t.workspace.accountId;
  });
  afterAll(async () => t.close());

  const db = () => t.database.db;
  const retentionOf = (options: Partial<RetentionOptions> = {}) =>
    createRetention({ database: t.database, eventLog: t.services.eventLog, ...options });
  const setRetention = async (retention: Record<string, number | null>) => {
    const res = await api(t, 'POST', '/api/v1/settings/workspace', { retention }, admin.headers);
    expect(res.status, res.text).toBe(200);
  };
  const addEvents = async (n: number, createdAt: string, account = accountId): Promise<number[]> => {
    const ids: number[] = [];
    for (let i = 0; i < n; i += 500) {
      const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
        account_id: account,
        type: 'contact.updated',
        data: JSON.stringify({ contact: { id: i + k } }),
        source: null,
        created_at: createdAt,
        audience: null,
      }));
      ids.push(...(await db().insertInto('events').values(rows).returning('id').execute()).map((r) => r.id));
    }
    return ids;
  };
  const eventIds = async (ids: number[]) =>
    (await db().selectFrom('events').select('id').where('id', 'in', ids).orderBy('id').execute()).map((r) => r.id);
  const lastPruned = async (account = accountId) => {
    const row = await db()
      .selectFrom('events')
      .select('data')
      .where('account_id', '=', account)
      .where('type', '=', 'retention.pruned')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? (JSON.parse(row.data) as { counts: Record<string, number> }).counts : null;
  };
  /**
   * A workspace of its own with these periods, for tests of the event log: event ids grow with
   * time, and the backdated events a test adds must come before any recent one, as they would.
   */
  const freshAccount = async (periods: { events_days?: number | null; automation_runs_days?: number | null }) => {
    const ws = await t.otherWorkspace();
    await db()
      .updateTable('accounts')
      .set({ retention_events_days: periods.events_days ?? null, retention_automation_runs_days: periods.automation_runs_days ?? null })
      .where('id', '=', ws.accountId)
      .execute();
    return ws;
  };
  const endpoint = async (account = accountId) => {
    const id = randomUUID();
    const at = new Date().toISOString();
    await db()
      .insertInto('webhook_endpoints')
      .values({ id, account_id: account, url: 'https://example.com/hook', description: '', events: '["*"]', secret: 'whsec_x', active: 1, failing_since: null, deactivated_at: null, created_at: at, updated_at: at })
      .execute();
    return id;
  };
  const delivery = async (endpointId: string, eventId: number, status: 'pending' | 'delivered' | 'failed', createdAt: string, account = accountId) => {
    const id = randomUUID();
    await db()
      .insertInto('webhook_deliveries')
      .values({
        id,
        account_id: account,
        endpoint_id: endpointId,
        event_id: eventId,
        event_type: 'contact.updated',
        payload: '{}',
        status,
        attempts: 1,
        next_attempt_at: status === 'pending' ? createdAt : null,
        locked_until: null,
        last_status_code: null,
        last_error: null,
        last_duration_ms: null,
        delivered_at: null,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .execute();
    return id;
  };

  it('keeps everything while no period is set, and deletes events older than events_days once it is', async () => {
    const ws = await freshAccount({});
    const old = await addEvents(30, ago(10), ws.accountId);
    const recent = await addEvents(5, ago(1), ws.accountId);
    await retentionOf().pruneAll();
    expect(await eventIds(old)).toEqual(old);
    await db().updateTable('accounts').set({ retention_events_days: 7 }).where('id', '=', ws.accountId).execute();
    await retentionOf().pruneAll();
    expect(await eventIds(old)).toEqual([]);
    expect(await eventIds(recent)).toEqual(recent);
    expect((await lastPruned(ws.accountId))?.events).toBe(30);
  });

  it('never deletes an event a pending webhook delivery, an unread consumer or a pending async reply still needs', async () => {
    const ws = await freshAccount({ events_days: 7 });
    const hook = await endpoint(ws.accountId);
    // Backdated, before anything recent of the workspace.
    const first = await addEvents(10, ago(10), ws.accountId);
    const before = await addEvents(3, ago(9), ws.accountId);
    const after = await addEvents(3, ago(7.5), ws.accountId);
    // A delivery still to be sent holds its event and every later one.
    const pending = await delivery(hook, first[4], 'pending', ago(10), ws.accountId);
    await retentionOf().pruneAll();
    expect(await eventIds(first)).toEqual(first.slice(4));
    await db().updateTable('webhook_deliveries').set({ status: 'delivered' }).where('id', '=', pending).execute();

    // A log consumer that has not read them yet.
    await db()
      .insertInto('event_consumers')
      .values({ name: 'retention-test', last_event_id: first[6], updated_at: new Date().toISOString() })
      .execute();
    await retentionOf().pruneAll();
    expect(await eventIds(first)).toEqual(first.slice(7));
    await db().deleteFrom('event_consumers').where('name', '=', 'retention-test').execute();

    // An async reply queued 8 days ago: the events since then stay until it is written.
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {}, ws.auth)).body.data.id;
    const conversation = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact }, ws.auth)).body.data.id;
    const queuedAt = ago(8);
    await db()
      .insertInto('messages')
      .values({ account_id: ws.accountId, conversation_id: conversation, role: 'assistant', content: '', sources: '[]', status: 'pending', error: null, modality: 'text', author_id: null, feedback_rating: null, feedback_comment: null, feedback_at: null, created_at: queuedAt, updated_at: queuedAt })
      .execute();
    await retentionOf().pruneAll();
    expect(await eventIds(first)).toEqual([]);
    expect(await eventIds(before)).toEqual([]);
    expect(await eventIds(after)).toEqual(after);
    await db().updateTable('messages').set({ status: 'failed' }).where('conversation_id', '=', conversation).where('status', '=', 'pending').execute();
    await retentionOf().pruneAll();
    expect(await eventIds(after)).toEqual([]);
  });

  it('erases ended conversations older than ended_conversations_days with their messages, and no active or recent one', async () => {
    const retention = retentionOf({ erasure: t.services.erasure });
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'kept-a-while@example.com' })).body.data.id;
    const conversation = async (end: boolean) => {
      const id = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact })).body.data.id;
      expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'My order 4417 never came' })).status).toBe(201);
      if (end) expect((await api(t, 'POST', `/api/v1/conversations/${id}/end`, {})).status).toBe(200);
      return id;
    };
    const [oldEnded, recentEnded, active] = [await conversation(true), await conversation(true), await conversation(false)];
    await db().updateTable('conversations').set({ ended_at: ago(40) }).where('id', '=', oldEnded).execute();
    await retention.pruneAll();
    expect(await db().selectFrom('conversations').select('id').where('id', '=', oldEnded).executeTakeFirst()).toBeDefined();

    await setRetention({ ended_conversations_days: 30 });
    await retention.pruneAll();
    // The run ends with a checkpoint: the erased pages' old images have left SQLite's WAL.
    if (dialect === 'sqlite') expect(fs.statSync(path.join(t.location, 'parley.db-wal')).size).toBe(0);
    const left = (await db().selectFrom('conversations').select('id').where('id', 'in', [oldEnded, recentEnded, active]).execute()).map((r) => r.id);
    expect(left.sort()).toEqual([recentEnded, active].sort());
    expect(await db().selectFrom('messages').select('id').where('conversation_id', '=', oldEnded).execute()).toEqual([]);
    expect((await lastPruned())?.conversations).toBe(1);
    expect((await api(t, 'GET', `/api/v1/conversations/${oldEnded}`)).status).toBe(404);

    // A run that stops part-way (its lease lost after the first batch) still checkpoints what it erased.
    const another = await conversation(true);
    await db().updateTable('conversations').set({ ended_at: ago(40) }).where('id', '=', another).execute();
    let asked = 0;
    await expect(retention.pruneAll(new Date(), async () => ++asked <= 1)).rejects.toBeInstanceOf(RetentionStopped);
    expect(await db().selectFrom('conversations').select('id').where('id', '=', another).executeTakeFirst()).toBeUndefined();
    if (dialect === 'sqlite') expect(fs.statSync(path.join(t.location, 'parley.db-wal')).size).toBe(0);
    await setRetention({ ended_conversations_days: null });
  });

  it('deletes finished webhook deliveries and automation runs older than their periods, and no pending delivery', async () => {
    await setRetention({ webhook_deliveries_days: 30, automation_runs_days: 14 });
    const hook = await endpoint();
    const [eventId, otherEventId] = await addEvents(2, ago(1));
    const oldDelivered = await delivery(hook, eventId, 'delivered', ago(40));
    const oldFailed = await delivery(hook, eventId, 'failed', ago(40));
    const oldPending = await delivery(hook, eventId, 'pending', ago(40));
    const recent = await delivery(hook, eventId, 'delivered', ago(5));
    const automation = randomUUID();
    const at = new Date().toISOString();
    await db()
      .insertInto('automations')
      .values({ id: automation, account_id: accountId, name: 'Tag', event: 'conversation.created', conditions: '[]', actions: '[]', active: 1, created_at: at, updated_at: at })
      .execute();
    const run = (createdAt: string, event: number) => ({
      id: randomUUID(),
      account_id: accountId,
      automation_id: automation,
      event_id: event,
      matched: 1,
      status: 'succeeded',
      actions: '[]',
      error: null,
      created_at: createdAt,
      event_type: 'conversation.created',
      conversation_id: null,
    });
    const oldRun = run(ago(20), eventId);
    const newRun = run(ago(2), otherEventId);
    await db().insertInto('automation_runs').values([oldRun, newRun]).execute();

    await retentionOf().pruneAll();
    // (The endpoint takes every event: the `retention.pruned` event has a delivery of its own.)
    const deliveries = (
      await db().selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', hook).where('event_type', '!=', 'retention.pruned').execute()
    ).map((r) => r.id);
    expect(deliveries.sort()).toEqual([oldPending, recent].sort());
    expect(deliveries).not.toContain(oldDelivered);
    expect(deliveries).not.toContain(oldFailed);
    const runs = (await db().selectFrom('automation_runs').select('id').where('automation_id', '=', automation).execute()).map((r) => r.id);
    expect(runs).toEqual([newRun.id]);
    expect(await lastPruned()).toMatchObject({ webhook_deliveries: 2, automation_runs: 1 });
    await setRetention({ webhook_deliveries_days: null, automation_runs_days: null });
  });

  it('deletes audit entries older than a year by default, and those of no workspace too', async () => {
    const entry = (account: string | null, createdAt: string) => ({
      account_id: account,
      actor_type: 'system' as const,
      actor_id: null,
      actor_name: null,
      action: 'retention.test',
      target_type: null,
      target_id: null,
      ip: null,
      created_at: createdAt,
    });
    await db()
      .insertInto('audit_log')
      .values([entry(accountId, ago(400)), entry(accountId, ago(300)), entry(null, ago(400)), entry(null, ago(10))])
      .execute();
    await retentionOf().pruneAll();
    const left = await db().selectFrom('audit_log').select(['account_id', 'created_at']).where('action', '=', 'retention.test').execute();
    expect(left.map((e) => e.account_id).sort()).toEqual([accountId, null].sort());
    expect((await lastPruned())?.audit_log).toBe(1);
    await setRetention({ audit_log_days: 100 });
    await retentionOf().pruneAll();
    expect(await db().selectFrom('audit_log').select('id').where('action', '=', 'retention.test').where('account_id', '=', accountId).execute()).toEqual([]);
    await setRetention({ audit_log_days: 365 });
  });

  it('deletes expired sessions, visitor sessions, invitations and idempotency records without any setting', async () => {
    const now = new Date().toISOString();
    const session = (expiresAt: string) => ({
      id: randomUUID(),
      account_id: accountId,
      member_id: admin.member.id,
      token_hash: randomUUID(),
      csrf_token: randomUUID(),
      ip: null,
      user_agent: null,
      expires_at: expiresAt,
      last_seen_at: now,
      revoked_at: null,
      created_at: ago(40),
    });
    const [expired, live] = [session(ago(1)), session(ago(-1))];
    await db().insertInto('sessions').values([expired, live]).execute();

    const channel = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Site', type: 'api' })).body.data.id;
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {})).body.data.id;
    const visitor = (expiresAt: string) => ({
      id: randomUUID(),
      account_id: accountId,
      channel_id: channel,
      contact_id: contact,
      token_hash: randomUUID(),
      verified: 0,
      created_at: ago(40),
      last_seen_at: now,
      expires_at: expiresAt,
      revoked_at: null,
    });
    const [oldVisitor, liveVisitor] = [visitor(ago(1)), visitor(ago(-30))];
    await db().insertInto('visitor_sessions').values([oldVisitor, liveVisitor]).execute();

    const invitation = (expiresAt: string, acceptedAt: string | null) => ({
      id: randomUUID(),
      account_id: accountId,
      email: `${randomUUID()}@example.com`,
      name: null,
      role: 'agent' as const,
      token_hash: randomUUID(),
      created_by: null,
      created_at: ago(10),
      expires_at: expiresAt,
      accepted_at: acceptedAt,
      member_id: null,
      revoked_at: null,
    });
    const [lapsed, accepted, open] = [invitation(ago(1), null), invitation(ago(1), ago(2)), invitation(ago(-5), null)];
    await db().insertInto('member_invitations').values([lapsed, accepted, open]).execute();

    const record = (key: string, status: 'done' | 'in_flight', createdAt: string, lockedUntil: string | null) => ({
      account_id: accountId,
      principal: 'api_key:k1',
      key,
      method: 'POST',
      path: '/api/v1/contacts',
      request_hash: 'h',
      status,
      response_status: status === 'done' ? 201 : null,
      response_body: status === 'done' ? '{}' : null,
      response_type: null,
      locked_until: lockedUntil,
      created_at: createdAt,
    });
    await db()
      .insertInto('idempotency_keys')
      .values([
        record('stale', 'done', ago(1.1), null),
        record('fresh', 'done', ago(0.5), null),
        // Older than a day, but a live request still holds it.
        record('stale-in-flight', 'in_flight', ago(1.1), ago(-0.01)),
      ])
      .execute();

    await retentionOf().pruneAll();
    const ids = async (table: 'sessions' | 'visitor_sessions' | 'member_invitations') =>
      (await db().selectFrom(table).select('id').where('id', 'in', [expired.id, live.id, oldVisitor.id, liveVisitor.id, lapsed.id, accepted.id, open.id]).execute())
        .map((r) => r.id)
        .sort();
    expect(await ids('sessions')).toEqual([live.id]);
    expect(await ids('visitor_sessions')).toEqual([liveVisitor.id]);
    expect(await ids('member_invitations')).toEqual([accepted.id, open.id].sort());
    const keys = (await db().selectFrom('idempotency_keys').select('key').where('principal', '=', 'api_key:k1').execute()).map((r) => r.key);
    expect(keys.sort()).toEqual(['fresh', 'stale-in-flight']);
    expect(await lastPruned()).toMatchObject({ sessions: 1, visitor_sessions: 1, invitations: 1, idempotency_keys: 1 });
  });

  it('prunes thousands of rows in small batches while requests keep writing, losing none of their writes', async () => {
    const ws = await freshAccount({ events_days: 7 });
    const old = await addEvents(6000, ago(30), ws.accountId);
    const batches: PrunedBatch[] = [];
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {}, ws.auth)).body.data.id;
    const conversation = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact }, ws.auth)).body.data.id;
    // Requests write messages all along; the prune starts once they are under way.
    let pruning = true;
    const written: Array<{ id: number; at: number }> = [];
    const writer = (async () => {
      for (let i = 0; pruning; i++) {
        const res = await api<{ data: { user_message: { id: number } } }>(t, 'POST', `/api/v1/conversations/${conversation}/messages`, { content: `note ${i}` }, ws.auth);
        expect(res.status, res.text).toBe(201);
        written.push({ id: res.body.data.user_message.id, at: performance.now() });
      }
    })();
    await expect.poll(() => written.length).toBeGreaterThan(2);
    const batchTimes: number[] = [];
    await retentionOf({ onBatch: (b) => (batches.push(b), batchTimes.push(performance.now())) })
      .pruneAll()
      .finally(() => (pruning = false));
    await writer;
    expect(await eventIds(old)).toEqual([]);
    const eventBatches = batches.filter((b) => b.kind === 'events');
    expect(eventBatches.reduce((a, b) => a + b.rows, 0)).toBe(6000);
    expect(eventBatches.length).toBeGreaterThan(3);
    expect(Math.max(...eventBatches.map((b) => b.rows))).toBeLessThanOrEqual(500);
    // How long each batch holds SQLite's single writer is measured by the benchmark
    // (scripts/bench/retention.ts, BENCHMARKS.md), not here: a loaded test machine would decide it.
    // Requests got their writes in between the batches, and every one of them is stored.
    const between = written.filter((w) => w.at > batchTimes[0] && w.at < batchTimes[batchTimes.length - 1]);
    expect(between.length).toBeGreaterThan(0);
    const stored = await db().selectFrom('messages').select('id').where('id', 'in', written.map((w) => w.id)).execute();
    expect(stored).toHaveLength(written.length);
  });

  it('runs once across processes sharing the database, and a process that died holding the run is overtaken', async () => {
    const ws = await freshAccount({ events_days: 7 });
    const second: Database = openSecondHandle(dialect, t.location);
    try {
      const secondLog = createEventLog({ database: second, events: createEventsRepository({ db: second.db, dialect }) });
      const tasks = [
        createRetentionTask({ db: t.database.db, retention: retentionOf() }),
        createRetentionTask({ db: second.db, retention: createRetention({ database: second, eventLog: secondLog }) }),
      ];
      const base = Date.now() + 10 * DAY;
      const old = await addEvents(50, ago(30), ws.accountId);
      const countPruned = async () =>
        Number((await db().selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('type', '=', 'retention.pruned').where('account_id', '=', ws.accountId).executeTakeFirstOrThrow()).n);
      const before = await countPruned();
      // Both processes tick at once: one prunes, the other finds the run taken.
      const ran = async (at: number) => (await Promise.all(tasks.map((task) => task.run(new Date(at))))).sort((a, b) => a - b);
      const first = await ran(base);
      expect(first[0]).toBe(0);
      expect(first[1]).toBeGreaterThanOrEqual(50);
      expect(await eventIds(old)).toEqual([]);
      expect(await countPruned()).toBe(before + 1);
      // Not due again until an hour after that run.
      const later = await addEvents(5, ago(-3), ws.accountId);
      expect(await ran(base + 30 * 60_000)).toEqual([0, 0]);
      expect(await eventIds(later)).toEqual(later);
      const third = await ran(base + 2 * 3600_000);
      expect(third[0]).toBe(0);
      expect(third[1]).toBeGreaterThanOrEqual(5);
      expect(await eventIds(later)).toEqual([]);

      // A process claims the next run and dies: its lease holds the others off until it runs out.
      const at = base + 4 * 3600_000;
      const dead = createTaskSchedule({ db: second.db, name: 'retention', holder: 'crashed' });
      expect(await dead.claim(new Date(at).toISOString(), new Date(at + 5 * 60_000).toISOString())).toBe(true);
      const last = await addEvents(5, ago(-3), ws.accountId);
      expect(await tasks[0].run(new Date(at + 60_000))).toBe(0);
      expect(await eventIds(last)).toEqual(last);
      expect(await tasks[0].run(new Date(at + 6 * 60_000))).toBeGreaterThanOrEqual(5);
      expect(await eventIds(last)).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
