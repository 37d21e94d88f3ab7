import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../../test/auth.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf, parseSse, type ApiResponse } from '../../../test/http.js';

type Contact = { data: { id: number; name: string | null }; created: boolean };
type Conversation = { data: { id: string; status: string } };
type Exchange = { data: { user_message: { id: number }; assistant_message: { id: number; content: string } | null } };
type Many = { data: Array<{ id: number | string; role?: string }>; pagination: { has_more: boolean } };

describe.each(DIALECTS)('Idempotency-Key on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let contactId: number;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp(dialect, { llm: { kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'k', model: 'fake-model' } });
    contactId = (await api<Contact>(t, 'POST', '/api/v1/contacts', { email: 'idem@example.com' })).body.data.id;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.script({ chunks: ['Hello from the fake model.'] });
  });

  const withKey = (key: string, auth: Record<string, string> = t.auth) => ({ ...auth, 'idempotency-key': key });
  const contactsNamed = async (name: string) => {
    const res = await api<{ data: Array<{ name: string | null }> }>(t, 'GET', `/api/v1/contacts?q=${encodeURIComponent(name)}&limit=100`);
    return res.body.data.filter((c) => c.name === name).length;
  };
  const newConversation = async () =>
    (await api<Conversation>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;
  const messagesOf = async (id: string) =>
    (await api<Many>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`)).body.data;
  const expectSameResponse = (first: ApiResponse, again: ApiResponse) => {
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.headers['idempotent-replayed']).toBe('true');
  };

  it('replays a contact creation with the same status and body, creating one contact', async () => {
    const key = randomUUID();
    const body = { name: 'Guest Replay', metadata: { a: 1, b: [1, 2] } };
    const first = await api<Contact>(t, 'POST', '/api/v1/contacts', body, withKey(key));
    expect(first.status).toBe(201);
    // The same JSON with its keys in another order is the same request.
    const again = await api<Contact>(t, 'POST', '/api/v1/contacts', { metadata: { b: [1, 2], a: 1 }, name: 'Guest Replay' }, withKey(key));
    expectSameResponse(first, again);
    expect(await contactsNamed('Guest Replay')).toBe(1);
    // Without a key, the same request creates another guest.
    await api(t, 'POST', '/api/v1/contacts', body);
    expect(await contactsNamed('Guest Replay')).toBe(2);
  });

  it('replays a conversation creation, creating one conversation', async () => {
    const { id: other } = (await api<Contact>(t, 'POST', '/api/v1/contacts', { email: 'conv-idem@example.com' })).body.data;
    const key = randomUUID();
    const first = await api<Conversation>(t, 'POST', '/api/v1/conversations', { contact_id: other }, withKey(key));
    const again = await api<Conversation>(t, 'POST', '/api/v1/conversations', { contact_id: other }, withKey(key));
    expect(first.status).toBe(201);
    expectSameResponse(first, again);
    const list = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${other}`);
    expect(list.body.data.map((c) => c.id)).toEqual([first.body.data.id]);
  });

  it('does not post a message or ask the AI for a reply a second time', async () => {
    const id = await newConversation();
    const key = randomUUID();
    const first = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello?' }, withKey(key));
    expect(first.status).toBe(201);
    expect(first.body.data.assistant_message?.content).toBe('Hello from the fake model.');
    const again = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello?' }, withKey(key));
    expectSameResponse(first, again);
    // One reply asked for (the model may also be asked for a title, in a request of its own).
    expect(fake.requests.filter((r) => r.body.stream)).toHaveLength(1);
    expect((await messagesOf(id)).map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('answers 422 when a key is reused with another body, method or path, and keeps the first result', async () => {
    const key = randomUUID();
    const first = await api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Mismatch' }, withKey(key));
    expect(first.status).toBe(201);
    const otherBody = await api(t, 'POST', '/api/v1/contacts', { name: 'Guest Mismatch 2' }, withKey(key));
    expect(otherBody.status).toBe(422);
    expect(errorOf(otherBody).code).toBe('UNPROCESSABLE_ENTITY');
    expect(errorOf(otherBody).details).toHaveProperty('idempotency-key');
    const otherPath = await api(t, 'POST', '/api/v1/conversations', { contact_id: contactId }, withKey(key));
    expect(otherPath.status).toBe(422);
    expect(await contactsNamed('Guest Mismatch 2')).toBe(0);
    // The mismatch was not stored over the original.
    expectSameResponse(first, await api(t, 'POST', '/api/v1/contacts', { name: 'Guest Mismatch' }, withKey(key)));
  });

  it('creates once when identical requests arrive together', async () => {
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Concurrent' }, withKey(key))),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await contactsNamed('Guest Concurrent')).toBe(1);
  });

  it('makes a retry wait for the first request still in flight, then replays its reply', async () => {
    fake.script({ chunks: ['Slow but sure.'], delayMs: 400 });
    const id = await newConversation();
    const key = randomUUID();
    const send = () => api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Anyone?' }, withKey(key));
    const first = send();
    await new Promise((r) => setTimeout(r, 100));
    const [a, b] = await Promise.all([first, send()]);
    expect(a.status).toBe(201);
    expectSameResponse(a, b);
    // One reply asked for (the model may also be asked for a title, in a request of its own).
    expect(fake.requests.filter((r) => r.body.stream)).toHaveLength(1);
    expect(await messagesOf(id)).toHaveLength(2);
  });

  it('keeps keys apart per API key and per member of the same account', async () => {
    const key = randomUUID();
    const second = await t.services.apiKeys.create(t.workspace.accountId, t.workspace.agentId, { name: 'second' });
    const secondAuth = { authorization: `Bearer ${second.secret}` };
    const admin = await login(t);
    const byFirst = await api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Per Key' }, withKey(key));
    const bySecond = await api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Per Key' }, withKey(key, secondAuth));
    const byMember = await api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Per Key' }, withKey(key, admin.headers));
    for (const res of [byFirst, bySecond, byMember]) {
      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(new Set([byFirst, bySecond, byMember].map((r) => r.body.data.id)).size).toBe(3);
    const again = await api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Per Key' }, withKey(key, secondAuth));
    expectSameResponse(bySecond, again);
    // Another account using the same key is independent too.
    const other = await t.otherWorkspace();
    const theirs = await api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Per Key' }, withKey(key, other.auth));
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('replays 4xx answers, and answers to actions that would now fail', async () => {
    const key = randomUUID();
    const missing = await api(t, 'POST', '/api/v1/conversations', { contact_id: 987654 }, withKey(key));
    expect(missing.status).toBe(422);
    expectSameResponse(missing, await api(t, 'POST', '/api/v1/conversations', { contact_id: 987654 }, withKey(key)));

    const id = await newConversation();
    const endKey = randomUUID();
    const ended = await api(t, 'POST', `/api/v1/conversations/${id}/end`, undefined, withKey(endKey));
    expect(ended.status).toBe(200);
    expectSameResponse(ended, await api(t, 'POST', `/api/v1/conversations/${id}/end`, undefined, withKey(endKey)));
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/end`)).status).toBe(422);
  });

  it('runs the request again once the key is more than 24 hours old', async () => {
    const key = randomUUID();
    const first = await api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Expired' }, withKey(key));
    await t.database.db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date(Date.now() - 25 * 3600_000).toISOString() })
      .where('account_id', '=', t.workspace.accountId)
      .where('key', '=', key)
      .execute();
    const again = await api<Contact>(t, 'POST', '/api/v1/contacts', { name: 'Guest Expired' }, withKey(key));
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.data.id).not.toBe(first.body.data.id);
    expect(await contactsNamed('Guest Expired')).toBe(2);
    // …and that new answer is what the key now replays.
    expectSameResponse(again, await api(t, 'POST', '/api/v1/contacts', { name: 'Guest Expired' }, withKey(key)));
  });

  it('forgets a 5xx so that a retry runs again', async () => {
    fake.script({ status: 500 });
    const id = await newConversation();
    const key = randomUUID();
    const failed = await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Fail me' }, withKey(key));
    expect(failed.status).toBe(500);
    fake.script({ chunks: ['Better now.'] });
    const retried = await api<Exchange>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Fail me' }, withKey(key));
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body.data.assistant_message?.content).toBe('Better now.');
  });

  it('does not keep streamed replies: the claim is dropped when the stream ends', async () => {
    const id = await newConversation();
    const key = randomUUID();
    const stream = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/messages`,
        headers: { ...withKey(key), 'content-type': 'application/json' },
        payload: JSON.stringify({ content: 'Stream it', stream: true }),
      });
    const claims = () => t.database.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).execute();
    const first = await stream();
    expect(parseSse(first.body).map((e) => e.event)).toContain('stream.end');
    // The claim goes once the response has finished (onResponse), just after the client has it all;
    // a retry arriving in between waits for that, then runs.
    const second = await stream();
    expect(parseSse(second.body).map((e) => e.event)).toContain('stream.end');
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect((await messagesOf(id)).filter((m) => m.role === 'user')).toHaveLength(2);
    await expect.poll(async () => (await claims()).length, { timeout: 2000 }).toBe(0);
  });

  it('refuses malformed keys with 400 and ignores keys where they do not apply', async () => {
    for (const bad of ['x'.repeat(256), 'caf\u00e9']) {
      const res = await api(t, 'POST', '/api/v1/contacts', { name: 'Guest Bad Key' }, withKey(bad));
      expect(res.status, bad).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      expect(errorOf(res).details).toHaveProperty('idempotency-key');
    }
    expect(await contactsNamed('Guest Bad Key')).toBe(0);
    expect((await api(t, 'POST', '/api/v1/contacts', { name: 'Guest Long Key' }, withKey('k'.repeat(255)))).status).toBe(201);

    // A GET is read-only: the header changes nothing.
    const key = randomUUID();
    const got = await api(t, 'GET', '/api/v1/contacts?limit=1', undefined, withKey(key));
    expect(got.headers['idempotent-replayed']).toBeUndefined();

    // A new API key's secret is never stored, so its creation is not replayable.
    const admin = await login(t);
    const keyUrl = `/api/v1/agents/${t.workspace.agentId}/keys`;
    const k1 = await api<{ data: { id: string } }>(t, 'POST', keyUrl, { name: 'ci' }, withKey(key, admin.headers));
    const k2 = await api<{ data: { id: string } }>(t, 'POST', keyUrl, { name: 'ci' }, withKey(key, admin.headers));
    expect([k1.status, k2.status]).toEqual([201, 201]);
    expect(k2.body.data.id).not.toBe(k1.body.data.id);
    expect(k2.headers['idempotent-replayed']).toBeUndefined();
  });

  it('documents the header on POST routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    };
    const names = (path: string, method: string) => (doc.paths[path]?.[method]?.parameters ?? []).map((p) => `${p.in}:${p.name}`);
    expect(names('/api/v1/contacts', 'post')).toContain('header:idempotency-key');
    expect(names('/api/v1/conversations/{conversation_id}/messages', 'post')).toContain('header:idempotency-key');
    expect(names('/api/v1/agents/{id}/keys', 'post')).not.toContain('header:idempotency-key');
    expect(names('/api/v1/auth/login', 'post')).not.toContain('header:idempotency-key');
  });
});
