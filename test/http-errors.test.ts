import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from './helpers.js';
import { api, errorOf } from './http.js';

/** Every refusal is a 4xx in the error envelope: never a 500, never a stack trace. */
describe.each(DIALECTS)('errors and authentication on %s', (dialect) => {
  let t: TestApp;
  let conversationId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'e@example.com' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: c.body.data.id });
    conversationId = conv.body.data.id;
  });
  afterAll(async () => t.close());

  const expectEnvelope = (res: { status: number; body: unknown; text: string }, status: number, code: string) => {
    expect(res.status, res.text).toBe(status);
    const err = (res.body as { error: { code: string; message: string; details: unknown } }).error;
    expect(err.code).toBe(code);
    expect(typeof err.message).toBe('string');
    expect(typeof err.details).toBe('object');
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  };

  it('answers 401 for a missing, malformed, unknown or revoked API key', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer not-a-key' },
      { authorization: `Bearer sk_live_${'A'.repeat(40)}` },
      { authorization: `${t.auth.authorization}x` },
    ];
    for (const headers of cases) {
      expectEnvelope(await api(t, 'GET', '/api/v1/contacts', undefined, headers), 401, 'UNAUTHORIZED');
    }
    const key = await t.services.apiKeys.create(t.workspace.accountId, t.workspace.agentId, { name: 'temp' });
    const auth = { authorization: `Bearer ${key.secret}` };
    expect((await api(t, 'GET', '/api/v1/agents', undefined, auth)).status).toBe(200);
    expect(await t.services.apiKeys.revoke(key.prefix)).toBe(true);
    expectEnvelope(await api(t, 'GET', '/api/v1/agents', undefined, auth), 401, 'UNAUTHORIZED');
  });

  it('sends nosniff with every answer, successes and refusals alike', async () => {
    for (const headers of [t.auth, {}]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers });
      expect(res.headers['x-content-type-options'], String(res.statusCode)).toBe('nosniff');
    }
  });

  it('checks the key before the body: an unauthenticated bad request is 401, not 400', async () => {
    expectEnvelope(await api(t, 'POST', '/api/v1/contacts', '{oops', {}), 401, 'UNAUTHORIZED');
  });

  it('records when a key was last used', async () => {
    const key = await t.services.apiKeys.create(t.workspace.accountId, t.workspace.agentId, { name: 'usage' });
    await api(t, 'GET', '/api/v1/agents', undefined, { authorization: `Bearer ${key.secret}` });
    await new Promise((r) => setTimeout(r, 50));
    const rows = await t.services.repos.apiKeys.listForAgent(t.workspace.accountId, t.workspace.agentId);
    const row = rows.find((r) => r.id === key.id)!;
    expect(row.last_used_at).not.toBeNull();
    expect(row.key_hash).not.toContain(key.secret);
  });

  it('answers malformed JSON, a wrong content type and an oversized body with 4xx envelopes', async () => {
    expectEnvelope(await api(t, 'POST', '/api/v1/contacts', '{"email": "a@b.c",'), 400, 'BAD_REQUEST');
    expectEnvelope(await api(t, 'POST', '/api/v1/contacts', '[1,2,3]'), 400, 'BAD_REQUEST');
    expectEnvelope(await api(t, 'POST', '/api/v1/contacts', '"just a string"'), 400, 'BAD_REQUEST');
    expectEnvelope(await api(t, 'POST', '/api/v1/contacts', '{"__proto__": {"admin": true}}'), 400, 'BAD_REQUEST');
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { ...t.auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(JSON.parse(text.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await api(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      content: 'x'.repeat(2 * 1024 * 1024),
    });
    expectEnvelope(huge, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses deeply nested JSON and NUL characters with 400', async () => {
    let deep = '1';
    for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
    expectEnvelope(await api(t, 'POST', '/api/v1/contacts', `{"metadata": {"a": ${deep}}}`), 400, 'BAD_REQUEST');
    expectEnvelope(await api(t, 'POST', '/api/v1/contacts', { name: 'nul\u0000byte' }), 400, 'BAD_REQUEST');
    expectEnvelope(await api(t, 'GET', '/api/v1/contacts?email=a%00b'), 400, 'BAD_REQUEST');
  });

  it('keeps odd but valid unicode intact', async () => {
    const name = 'Zoë 🚀 日本語 \u200b עברית';
    const res = await api<{ data: { id: number; name: string } }>(t, 'POST', '/api/v1/contacts', { name });
    expect(res.status).toBe(201);
    const got = await api<{ data: { name: string } }>(t, 'GET', `/api/v1/contacts/${res.body.data.id}`);
    expect(got.body.data.name).toBe(name);
  });

  it('validates limit (1–100) and cursors on every collection', async () => {
    const collections = ['/api/v1/agents', '/api/v1/contacts', '/api/v1/conversations', `/api/v1/conversations/${conversationId}/messages`];
    for (const path of collections) {
      expect((await api(t, 'GET', `${path}?limit=1`)).status, path).toBe(200);
      expect((await api(t, 'GET', `${path}?limit=100`)).status, path).toBe(200);
      for (const q of ['limit=0', 'limit=101', 'limit=-1', 'limit=abc', 'limit=1.5', 'cursor=%%%', 'cursor=bm9wZQ', 'cursor=WzEsMiwzXQ']) {
        expectEnvelope(await api(t, 'GET', `${path}?${q}`), 400, 'BAD_REQUEST');
      }
      expectEnvelope(await api(t, 'GET', `${path}?unknown_param=1`), 400, 'BAD_REQUEST');
    }
  });

  it('answers unknown routes and bad path ids with 4xx envelopes', async () => {
    expectEnvelope(await api(t, 'GET', '/api/v1/nope'), 404, 'NOT_FOUND');
    expectEnvelope(await api(t, 'GET', '/api/v2/nope', undefined, {}), 404, 'NOT_FOUND');
    expectEnvelope(await api(t, 'DELETE', '/api/v1/contacts'), 404, 'NOT_FOUND');
    expectEnvelope(await api(t, 'GET', '/api/v1/conversations/123'), 400, 'BAD_REQUEST');
    expectEnvelope(await api(t, 'GET', `/api/v1/contacts/${'9'.repeat(30)}`), 400, 'BAD_REQUEST');
    expectEnvelope(await api(t, 'GET', `/api/v1/agents/${'a'.repeat(300)}`), 400, 'BAD_REQUEST');
  });

  it('describes every error field the seed names: details map fields to messages', async () => {
    const res = await api(t, 'POST', '/api/v1/conversations', { contact_id: 'x', extra: 1 });
    expect(res.status).toBe(400);
    const details = errorOf(res).details as Record<string, string[]>;
    expect(Array.isArray(details.contact_id)).toBe(true);
    expect(Array.isArray(details.extra)).toBe(true);
  });

  it('serves the OpenAPI document, the docs page and a health check', async () => {
    const doc = await api<{ openapi: string; paths: Record<string, unknown> }>(t, 'GET', '/openapi.json', undefined, {});
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const p of ['/api/v1/agents', '/api/v1/contacts/{id}', '/api/v1/conversations/{id}/end', '/api/v1/conversations/{conversation_id}/messages']) {
      expect(doc.body.paths, p).toHaveProperty([p]);
    }
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
    expect((await api(t, 'GET', '/healthz', undefined, {})).body).toEqual({ status: 'ok' });
  });
});
