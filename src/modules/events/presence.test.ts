import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, openSecondHandle, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { openSse, type SseClient, type SseEvent } from '../../../test/sse-client.js';
import { buildApp, type App } from '../../app.js';
import type { Database } from '../../shared/db/database.js';
import { createServices } from '../../services.js';

const urlOf = (app: App) => {
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

/** The next event of `type`, skipping others; fails after a few seconds. */
async function nextOf(stream: SseClient, type: string): Promise<SseEvent> {
  for (;;) {
    const e = await stream.next(3000);
    if (e.event === type) return e;
  }
}

/**
 * Issue 16's presence: a member says a conversation is open (or closed); the other members' event
 * streams carry `presence`, which is never stored in the event log nor shown to API keys.
 */
describe.each(DIALECTS)('who is viewing a conversation, on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let tom: TestSession;
  let conversationId: string;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    const created = await createMember(t, { admin, name: 'Tom Baker' });
    tom = await login(t, created.email, created.password);
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'viewed@example.com' });
    conversationId = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id })).body.data.id;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = urlOf(t.app);
  });
  afterAll(async () => t.close());

  const view = (who: TestSession | { authorization: string }, viewing: unknown, id = conversationId) =>
    api(t, 'POST', `/api/v1/conversations/${id}/viewing`, { viewing }, 'headers' in who ? who.headers : who);

  it('tells the other members who opened and closed a conversation, and stores nothing', async () => {
    const before = await api<{ data: unknown[] }>(t, 'GET', '/api/v1/events?limit=100');
    const stream = await openSse(`${baseUrl}/api/v1/events/stream`, { cookie: admin.cookie });
    try {
      expect((await view(tom, true)).status).toBe(204);
      const opened = await nextOf(stream, 'presence');
      expect(opened.id).toBeUndefined();
      expect(opened.data).toEqual({ conversation_id: conversationId, viewing: true, member: { id: tom.member.id, name: 'Tom Baker' } });
      expect((await view(tom, false)).status).toBe(204);
      expect((await nextOf(stream, 'presence')).data).toMatchObject({ viewing: false, member: { id: tom.member.id } });
    } finally {
      stream.close();
    }
    const after = await api<{ data: Array<{ type: string }> }>(t, 'GET', '/api/v1/events?limit=100');
    expect(after.body.data.length).toBe(before.body.data.length);
    expect(after.body.data.some((e) => e.type.includes('presence') || e.type.includes('view'))).toBe(false);
  });

  it('filters presence with ?type= and sends none to an API key’s stream', async () => {
    const keyStream = await openSse(`${baseUrl}/api/v1/events/stream`, t.auth);
    const filtered = await openSse(`${baseUrl}/api/v1/events/stream?type=presence`, { cookie: admin.cookie });
    try {
      await view(tom, true);
      expect((await filtered.next(3000)).event).toBe('presence');
      // A stored event afterwards: the key's stream gets it, and nothing before it.
      await api(t, 'POST', '/api/v1/contacts', { email: 'after-presence@example.com' });
      expect((await keyStream.next(3000)).event).toBe('contact.created');
    } finally {
      keyStream.close();
      filtered.close();
    }
  });

  it('refuses API keys (403), another account (404), unknown ids (404) and bad bodies (400)', async () => {
    expect((await view(t.auth, true)).status).toBe(403);
    const ws = await t.otherWorkspace();
    const outsider = await login(t, ws.adminEmail, ws.adminPassword);
    expect((await view(outsider, true)).status).toBe(404);
    expect((await view(tom, true, '0190a000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await view(tom, true, 'not-an-id')).status).toBe(400);
    expect((await view(tom, 'yes')).status).toBe(400);
    expect((await api(t, 'POST', `/api/v1/conversations/${conversationId}/viewing`, {}, tom.headers)).status).toBe(400);
  });
});

/** Two app instances on one PostgreSQL database, as two processes: presence crosses over by NOTIFY. */
describe.skipIf(!process.env.TEST_DATABASE_URL)('presence across processes on PostgreSQL', () => {
  let t: TestApp;
  let second: { database: Database; app: App; services: ReturnType<typeof createServices> };
  beforeAll(async () => {
    t = await createTestApp('postgres');
    const database = openSecondHandle('postgres', t.location);
    const services = createServices({ database, config: { llm: null } });
    const app = await buildApp({ services });
    second = { database, app, services };
    await Promise.all([t.services.eventLog.start(), services.eventLog.start()]);
    await Promise.all([t.app.listen({ port: 0, host: '127.0.0.1' }), app.listen({ port: 0, host: '127.0.0.1' })]);
  });
  afterAll(async () => {
    await second.app.close();
    await second.services.eventLog.stop();
    await second.database.close();
    await t.services.eventLog.stop();
    await t.close();
  });

  it('shows a member viewing through one process on the other process’s stream', async () => {
    const admin = await login(t);
    const created = await createMember(t, { admin, name: 'Tom Baker' });
    const tom = await login(t, created.email, created.password);
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
    const id = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id })).body.data.id;
    const stream = await openSse(`${urlOf(second.app)}/api/v1/events/stream?type=presence,typing`, { cookie: admin.cookie });
    try {
      // The LISTEN connections come up in the background: say it until the other side hears it.
      let heard: SseEvent | null = null;
      for (let i = 0; i < 20 && !heard; i++) {
        expect((await api(t, 'POST', `/api/v1/conversations/${id}/viewing`, { viewing: true }, tom.headers)).status).toBe(204);
        heard = await stream.next(500).catch(() => null);
      }
      expect(heard?.event).toBe('presence');
      expect(heard?.data).toMatchObject({ conversation_id: id, viewing: true, member: { id: tom.member.id, name: 'Tom Baker' } });
    } finally {
      stream.close();
    }
  });
});
