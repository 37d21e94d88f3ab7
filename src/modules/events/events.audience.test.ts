import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, sleep, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { openSse } from '../../../test/sse-client.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import { createHook, runUntil } from '../../../test/webhooks.js';
import { migrateToLatest, undoMigrationsAfter } from '../../shared/db/migrations/index.js';

// The test receiver listens on loopback.
process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';

type Events = { data: Array<{ id: number; type: string; data: { message?: { role: string; content: string }; webhook?: { url: string } } }> };

/**
 * Internal notes are for members, and webhook endpoints (their URLs can hold a token) for admins
 * and API keys: the event log, its stream, webhooks, automations and search keep to that as the
 * messages and webhooks APIs do (found by a security audit: all of them showed notes to API keys).
 */
describe.each(DIALECTS)('who sees which events on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agentMember: TestSession;
  let receiver: Receiver;
  let baseUrl: string;
  let conversationId: string;
  const deliver = () => t.services.webhookWorker.run();
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    agentMember = await loginAsAgentMember(t, admin);
    receiver = await startReceiver();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'audience@example.com' })).body.data.id;
    conversationId = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact })).body.data.id;
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const note = (content: string) =>
    api(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { content, role: 'note' }, admin.headers);
  const operatorReply = (content: string) =>
    api(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { content, role: 'operator' }, admin.headers);
  const contents = async (headers: Record<string, string>, type = 'message.created') =>
    (await api<Events>(t, 'GET', `/api/v1/events?type=${type}&limit=100`, undefined, headers)).body.data.map((e) => e.data.message?.content);

  it('GET /events shows a note to members, never to an API key', async () => {
    expect((await note('Customer is on the fraud watchlist')).status).toBe(201);
    expect((await operatorReply('Happy to help!')).status).toBe(201);
    expect(await contents(t.auth)).toEqual(['Happy to help!']);
    expect(await contents(admin.headers)).toEqual(['Customer is on the fraud watchlist', 'Happy to help!']);
    expect(await contents(agentMember.headers)).toEqual(['Customer is on the fraud watchlist', 'Happy to help!']);
  });

  it('the event stream does the same, and a tail of notes does not keep an API key stream reading', async () => {
    const keyStream = await openSse(`${baseUrl}/api/v1/events/stream?type=message.created`, t.auth);
    const memberStream = await openSse(`${baseUrl}/api/v1/events/stream?type=message.created`, agentMember.headers);
    await note('Refund approved by Sam');
    await operatorReply('Your refund is on its way.');
    expect((await memberStream.next()).data).toMatchObject({ data: { message: { role: 'note', content: 'Refund approved by Sam' } } });
    expect((await memberStream.next()).data).toMatchObject({ data: { message: { content: 'Your refund is on its way.' } } });
    expect((await keyStream.next()).data).toMatchObject({ data: { message: { content: 'Your refund is on its way.' } } });
    await note('Another note, last in the log');
    await expect(keyStream.next(300)).rejects.toThrow();
    keyStream.close();
    memberStream.close();

    // The stream's shared poll: with notes last, an API key's stream is past them after one read.
    const reads: number[] = [];
    const repo = t.services.repos.events;
    const list = repo.list;
    repo.list = async (...args: Parameters<typeof list>) => {
      reads.push(args[1].after);
      return list(...args);
    };
    try {
      const principal = { kind: 'api_key' as const, accountId: t.workspace.accountId, agentId: t.workspace.agentId, keyId: 'x' };
      const got: number[] = [];
      const stop = t.services.events.follow(principal, { after: 0, pollMs: 20 }, (e) => got.push(e.id), () => false);
      await sleep(400);
      stop();
      expect(got.length).toBeGreaterThan(0);
      // The first read catches up; a poll that saw the notes' ids reads once more and is then past them.
      expect(reads.length, `reads after ${reads.join(', ')}`).toBeLessThanOrEqual(3);
    } finally {
      repo.list = list;
    }
  });

  it('webhooks never carry a note, and an automation cannot send one', async () => {
    const hook = await createHook(t, receiver, '/messages', { events: ['message.created'] });
    await note('Do not tell the customer about the recall');
    await operatorReply('Thanks for waiting.');
    await runUntil(deliver, () => receiver.at('/messages').length >= 1);
    await sleep(100);
    await deliver();
    const bodies = receiver.at('/messages').map((r) => JSON.parse(r.body) as { data: { message: { content: string } } });
    expect(bodies.map((b) => b.data.message.content)).toEqual(['Thanks for waiting.']);

    // A rule an API key may write: on a note, send the event to the key's own endpoint.
    const rule = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/automations', {
      name: 'Leak notes',
      event: 'message.created',
      conditions: [{ field: 'message.role', operator: 'equals', value: 'note' }],
      actions: [{ type: 'send_webhook', value: hook.id }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    await note('Secret plan');
    await t.services.automationsConsumer.run();
    await deliver();
    await sleep(100);
    expect(receiver.at('/messages').map((r) => r.body).join('\n')).not.toContain('Secret plan');
    const runs = await t.database.db.selectFrom('automation_runs').selectAll().where('automation_id', '=', rule.body.data.id).execute();
    expect(runs.length).toBeGreaterThan(0);
    // The run says which action failed and why (its actions column), and that it failed.
    for (const run of runs) expect([run.status, run.error, run.actions].join(' ')).toContain('Internal notes are not sent to webhooks');
  });

  it('webhook events are for admins and API keys, not for other members', async () => {
    const hook = await createHook(t, receiver, '/ping', {}, admin.headers);
    expect((await api(t, 'POST', `/api/v1/webhooks/${hook.id}/test`, undefined, admin.headers)).status).toBeLessThan(300);
    const urls = async (headers: Record<string, string>) =>
      (await api<Events>(t, 'GET', '/api/v1/events?type=webhook.test', undefined, headers)).body.data.map((e) => e.data.webhook?.url);
    expect(await urls(admin.headers)).toEqual([receiver.url('/ping')]);
    expect(await urls(t.auth)).toEqual([receiver.url('/ping')]);
    expect(await urls(agentMember.headers)).toEqual([]);
  });

  it('a search by an API key does not match the text of notes', async () => {
    await note('zebrafox escalation');
    const ids = async (headers: Record<string, string>) =>
      (await api<{ data: Array<{ id: string }> }>(t, 'GET', '/api/v1/conversations?q=zebrafox', undefined, headers)).body.data.map((c) => c.id);
    expect(await ids(admin.headers)).toEqual([conversationId]);
    expect(await ids(t.auth)).toEqual([]);
  });

  it('migration 0011 classifies the events stored before it', async () => {
    const db = t.database.db;
    const before = await db.selectFrom('events').select(['id', 'audience']).orderBy('id').execute();
    expect(before.some((e) => e.audience === 'members')).toBe(true);
    expect(before.some((e) => e.audience === 'managers')).toBe(true);
    const later = await undoMigrationsAfter(t.database, '0011-event-audience');
    await sql`alter table events drop column audience`.execute(db);
    await sql`delete from parley_migrations where name = '0011-event-audience'`.execute(db);
    expect(await migrateToLatest(t.database)).toEqual(['0011-event-audience', ...later]);
    expect(await db.selectFrom('events').select(['id', 'audience']).orderBy('id').execute()).toEqual(before);
  });
});
