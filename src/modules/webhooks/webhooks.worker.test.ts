import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import { createHook, deliveriesOf, newContact, runUntil } from '../../../test/webhooks.js';
import { startTasks } from '../../shared/tasks/tasks.js';
import { createTasks } from '../../tasks.js';
import { createWebhookDeliveriesRepository } from './webhooks.deliveries.repository.js';
import { createWebhookWorker, retryDelayMs } from './webhooks.worker.js';

process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';
process.env.PARLEY_WEBHOOK_RETRY_BASE_MS = '50';

const DAY = 24 * 3_600_000;
const MINUTE = 60_000;

describe('the retry schedule', () => {
  it('doubles from the base, with equal jitter: between half and all of each step', () => {
    expect([1, 2, 3, 8].map((n) => retryDelayMs(30_000, n, () => 0))).toEqual([15_000, 30_000, 60_000, 1_920_000]);
    expect([1, 2, 3, 8].map((n) => retryDelayMs(30_000, n, () => 1))).toEqual([30_000, 60_000, 120_000, 3_840_000]);
    expect(retryDelayMs(3_600_000, 20, () => 1)).toBe(24 * 3_600_000);
  });
});

describe.each(DIALECTS)('the webhook worker on %s', (dialect) => {
  let t: TestApp;
  let receiver: Receiver;
  const run = (now?: Date) => t.services.webhookWorker.run(now);
  // Where a test counts attempts run by run: its retries are never due again within the same run.
  let once: (now?: Date) => Promise<number>;
  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect);
    const worker = createWebhookWorker({ database: t.database, eventLog: t.services.eventLog, retryBaseMs: 60_000, allowPrivate: true });
    once = (now) => worker.run(now);
  });
  afterEach(async () => {
    await t.database.db.deleteFrom('webhook_endpoints').execute();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const endpointRow = (id: string) =>
    t.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('deactivates an endpoint whose every delivery failed for 3 days, announcing it with webhook.deactivated', async () => {
    const ws = await t.otherWorkspace();
    const failing = await createHook(t, receiver, '/failing', {}, ws.auth);
    const watcher = await createHook(t, receiver, '/watcher', { events: ['webhook.deactivated'] }, ws.auth);
    receiver.script('/failing', { status: 500 }, { status: 500 }, { status: 200 }, { status: 500 }, { status: 500 }, { status: 500 });
    await newContact(t, ws.auth);
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms);
    await once(at(0));
    expect((await endpointRow(failing.id)).failing_since).not.toBeNull();
    await once(at(DAY));
    // A success ends the streak.
    await once(at(2 * DAY));
    expect(receiver.at('/failing').map((r) => r.answered)).toEqual([500, 500, 200]);
    expect((await endpointRow(failing.id)).failing_since).toBeNull();

    // A new streak: still active after 2 days of failures…
    await newContact(t, ws.auth);
    await once(at(2 * DAY + MINUTE));
    await once(at(4 * DAY));
    expect((await api<{ data: { active: boolean } }>(t, 'GET', `/api/v1/webhooks/${failing.id}`, undefined, ws.auth)).body.data.active).toBe(true);
    // …deactivated once they pass 3 days.
    await once(at(5 * DAY + 2 * MINUTE));
    const hook = await api<{ data: { active: boolean; deactivated_at: string } }>(t, 'GET', `/api/v1/webhooks/${failing.id}`, undefined, ws.auth);
    expect(hook.body.data.active).toBe(false);
    expect(Date.parse(hook.body.data.deactivated_at)).toBeGreaterThanOrEqual(t0 + 5 * DAY);

    const events = await api<{ data: Array<{ type: string; data: Record<string, unknown> }> }>(t, 'GET', '/api/v1/events?type=webhook.deactivated', undefined, ws.auth);
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0].data).toMatchObject({ webhook: { id: failing.id, active: false }, reason: 'Every delivery failed for 3 days' });
    await runUntil(() => run(at(5 * DAY + 3 * MINUTE)), () => receiver.at('/watcher').length === 1);
    expect(receiver.at('/watcher')[0].event).toMatchObject({ type: 'webhook.deactivated', data: { webhook: { id: failing.id } } });
    expect(await deliveriesOf(t, watcher.id, ws.auth)).toHaveLength(1);

    // What was still queued for it is failed without being sent.
    const sent = receiver.at('/failing').length;
    await once(at(6 * DAY));
    expect(receiver.at('/failing')).toHaveLength(sent);
    const [last] = await deliveriesOf(t, failing.id, ws.auth);
    expect(last).toMatchObject({ status: 'failed', last_error: 'webhook endpoint is inactive', attempts: 3 });

    // Re-enabling starts afresh.
    const back = await api<{ data: { active: boolean; deactivated_at: null } }>(t, 'PATCH', `/api/v1/webhooks/${failing.id}`, { active: true }, ws.auth);
    expect(back.body.data).toMatchObject({ active: true, deactivated_at: null });
    expect((await endpointRow(failing.id)).failing_since).toBeNull();
  });

  it("takes over a crashed worker's claim once its lease has run out, and ignores the late worker's outcome", async () => {
    const hook = await createHook(t, receiver, '/leased');
    await newContact(t);
    // A worker claims the delivery and dies before sending it.
    const repo = createWebhookDeliveriesRepository({ db: t.database.db, dialect });
    const now = new Date();
    const [claimed] = await repo.claimDue(now.toISOString(), new Date(now.getTime() + 20_000).toISOString(), 10);
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await run()).toBe(0);
    expect(receiver.at('/leased')).toEqual([]);
    await run(new Date(Date.now() + 21_000));
    expect(receiver.at('/leased')).toHaveLength(1);
    expect((await deliveriesOf(t, hook.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    // The dead worker's outcome, arriving late, changes nothing.
    const late = await repo.finish(claimed, {
      status: 'failed',
      last_status_code: 500,
      last_error: 'late',
      last_duration_ms: 1,
      next_attempt_at: null,
      delivered_at: null,
      updated_at: new Date().toISOString(),
    });
    expect(late).toBe(false);
    expect((await deliveriesOf(t, hook.id))[0].status).toBe('delivered');
  });

  it('writes no delivery for events whose transaction rolls back', async () => {
    const hook = await createHook(t, receiver, '/atomic');
    let fail = true;
    // A later append hook that throws: the whole transaction, outbox rows included, rolls back.
    t.services.eventLog.addAppendHook(async () => {
      if (fail) throw new Error('boom');
    });
    await expect(
      t.services.eventLog.transaction(t.workspace.accountId, async (_trx, emit) => emit('contact.created', { contact: { id: 0 } })),
    ).rejects.toThrow('boom');
    fail = false;
    expect(await deliveriesOf(t, hook.id)).toEqual([]);
    await newContact(t);
    expect(await deliveriesOf(t, hook.id)).toHaveLength(1);
  });

  it("queues an event for one endpoint through the outbox's enqueue (automations' send_webhook), whatever it subscribes to", async () => {
    const hook = await createHook(t, receiver, '/enqueued', { events: ['contact.deleted'] });
    const outbox = t.services.webhookOutbox;
    const event = { id: 424242, type: 'conversation.ended', created_at: new Date().toISOString(), data: { conversation: { id: 'c1' } } };
    await t.database.db.transaction().execute((trx) => outbox.enqueue(trx, t.workspace.accountId, hook.id, event));
    await runUntil(run, () => receiver.at('/enqueued').length === 1);
    expect(receiver.at('/enqueued')[0]).toMatchObject({ verified: true, event });

    const other = await t.otherWorkspace();
    await expect(outbox.enqueue(t.database.db, other.accountId, hook.id, event)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outbox.enqueue(t.database.db, t.workspace.accountId, '00000000-0000-7000-8000-000000000000', event)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await api(t, 'PATCH', `/api/v1/webhooks/${hook.id}`, { active: false });
    await expect(outbox.enqueue(t.database.db, t.workspace.accountId, hook.id, event)).rejects.toMatchObject({ code: 'UNPROCESSABLE_ENTITY' });
  });

  it('checks the address again when sending: a URL that now points to a private address fails the attempt', async () => {
    const byName = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/webhooks', { url: `http://localhost:${receiver.port}/rebound` });
    const byAddress = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/webhooks', { url: receiver.url('/rebound') });
    await newContact(t);
    // A long retry base, so neither failure comes due again within this run.
    const strict = createWebhookWorker({ database: t.database, eventLog: t.services.eventLog, retryBaseMs: 60_000, allowPrivate: false });
    expect(await strict.run()).toBe(2);
    expect(receiver.at('/rebound')).toEqual([]);
    const [viaName] = await deliveriesOf(t, byName.body.data.id);
    expect(viaName).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(viaName.last_error).toMatch(/localhost resolves to a private address/);
    expect((await deliveriesOf(t, byAddress.body.data.id))[0].last_error).toBe('127.0.0.1 is a private address');
  });

  it('delivers from the background task within moments of the commit, woken by the event log', async () => {
    const task = createTasks(t.services).find((x) => x.name === 'webhook-deliveries')!;
    expect(task.intervalMs).toBe(1000);
    // An interval too long to matter: only the wake-up can deliver in time.
    const running = startTasks([{ ...task, intervalMs: 600_000 }], { info: () => {}, error: () => {} });
    try {
      await new Promise((r) => setTimeout(r, 100));
      await createHook(t, receiver, '/woken');
      const started = Date.now();
      await newContact(t);
      const deadline = Date.now() + 5000;
      while (receiver.at('/woken').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(receiver.at('/woken')).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await running.stop();
    }
  });
});
