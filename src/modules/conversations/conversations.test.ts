import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Conversation {
  id: string;
  contact_id: number;
  status: 'active' | 'ended';
  metadata: Record<string, unknown>;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}
type One = { data: Conversation };
type Many = { data: Conversation[]; pagination: { cursor: string | null; has_more: boolean } };

describe.each(DIALECTS)('conversations on %s', (dialect) => {
  let t: TestApp;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const c = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'conv@example.com' });
    contactId = c.body.data.id;
  });
  afterAll(async () => t.close());

  const start = (metadata?: Record<string, unknown>, contact = contactId) =>
    api<One>(t, 'POST', '/api/v1/conversations', { contact_id: contact, ...(metadata ? { metadata } : {}) });

  it("creates an active conversation with 201 carrying seed 000's fields and the operators' additions", async () => {
    const res = await start({ source: 'api', session: 'abc123' });
    expect(res.status).toBe(201);
    for (const key of ['contact_id', 'created_at', 'ended_at', 'id', 'metadata', 'status', 'updated_at']) {
      expect(res.body.data).toHaveProperty(key);
    }
    expect(res.body.data).toMatchObject({
      agent_id: t.workspace.agentId,
      channel_id: null,
      mode: 'ai',
      assignee_id: null,
      state_id: null,
      tags: [],
      title: null,
      summary: null,
      score: null,
      priority: 'normal',
      unread_count: 0,
      turn_count: 0,
      last_message_at: null,
      end_reason: null,
    });
    expect(res.body.data).toMatchObject({
      contact_id: contactId,
      status: 'active',
      metadata: { source: 'api', session: 'abc123' },
      ended_at: null,
    });
    expect(res.body.data.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const got = await api<One>(t, 'GET', `/api/v1/conversations/${res.body.data.id}`);
    expect(got.body.data).toEqual(res.body.data);
  });

  it('answers 422 for a contact_id that is not a contact of this account, 400 for a missing or mistyped one', async () => {
    const missing = await start(undefined, 987654321);
    expect(missing.status).toBe(422);
    expect(errorOf(missing).code).toBe('UNPROCESSABLE_ENTITY');
    expect(errorOf(missing).details).toHaveProperty('contact_id');

    const other = await t.otherWorkspace();
    const theirs = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'x@y.com' }, other.auth);
    expect((await start(undefined, theirs.body.data.id)).status).toBe(422);

    const noContact = await api(t, 'POST', '/api/v1/conversations', {});
    expect(noContact.status).toBe(400);
    expect(errorOf(noContact).details).toHaveProperty('contact_id');
    expect((await api(t, 'POST', '/api/v1/conversations', { contact_id: '1' })).status).toBe(400);
    expect((await api(t, 'POST', '/api/v1/conversations', { contact_id: 1.5 })).status).toBe(400);
  });

  it('ends a conversation once; the second time is 422', async () => {
    const c = await start();
    const ended = await api<One>(t, 'POST', `/api/v1/conversations/${c.body.data.id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body.data.status).toBe('ended');
    expect(ended.body.data.ended_at).not.toBeNull();
    expect(ended.body.data.updated_at).toBe(ended.body.data.ended_at);
    expect(ended.body.data).toMatchObject({ end_reason: 'ended' });
    const again = await api(t, 'POST', `/api/v1/conversations/${c.body.data.id}/end`);
    expect(again.status).toBe(422);
    expect(errorOf(again).code).toBe('UNPROCESSABLE_ENTITY');
    const stored = await api<One>(t, 'GET', `/api/v1/conversations/${c.body.data.id}`);
    expect(stored.body.data.ended_at).toBe(ended.body.data.ended_at);
  });

  it('ends with a JSON content type and an empty body too', async () => {
    const c = await start();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${c.body.data.id}/end`,
      headers: { ...t.auth, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('404s for unknown conversations and those of other accounts, 400 for a malformed uuid', async () => {
    const c = await start();
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api(t, 'GET', `/api/v1/conversations/${unknown}`)).status).toBe(404);
    expect((await api(t, 'POST', `/api/v1/conversations/${unknown}/end`)).status).toBe(404);
    const other = await t.otherWorkspace();
    expect((await api(t, 'GET', `/api/v1/conversations/${c.body.data.id}`, undefined, other.auth)).status).toBe(404);
    expect((await api(t, 'POST', `/api/v1/conversations/${c.body.data.id}/end`, undefined, other.auth)).status).toBe(404);
    const stillActive = await api<One>(t, 'GET', `/api/v1/conversations/${c.body.data.id}`);
    expect(stillActive.body.data.status).toBe('active');
    const bad = await api(t, 'GET', '/api/v1/conversations/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe('BAD_REQUEST');
  });

  it('lists newest first, filters by contact and status, and pages through every row once', async () => {
    const c2 = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'list@example.com' });
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await start({ i }, c2.body.data.id)).body.data.id);
    await api(t, 'POST', `/api/v1/conversations/${mine[1]}/end`);

    const byContact = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${c2.body.data.id}`);
    expect(byContact.body.data.map((c) => c.id)).toEqual([...mine].reverse());
    const ended = await api<Many>(t, 'GET', `/api/v1/conversations?contact_id=${c2.body.data.id}&status=ended`);
    expect(ended.body.data.map((c) => c.id)).toEqual([mine[1]]);
    const active = await api<Many>(t, 'GET', `/api/v1/conversations?status=active&limit=100`);
    expect(active.body.data.every((c) => c.status === 'active')).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Many } = await api<Many>(
        t,
        'GET',
        `/api/v1/conversations?contact_id=${c2.body.data.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.pagination.cursor;
    } while (cursor);
    expect(seen).toEqual([...mine].reverse());

    expect((await api(t, 'GET', '/api/v1/conversations?status=open')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/conversations?contact_id=abc')).status).toBe(400);
  });
});
