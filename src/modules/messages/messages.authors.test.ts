import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { migrateToLatest, undoMigrationsAfter } from '../../shared/db/migrations/index.js';

interface Message {
  id: number;
  role: string;
  author_id: string | null;
  author: { type: string; id: string | number | null; name: string | null };
}

/** Issue 15: every message says who wrote it, by name, whatever wrote it. */
describe.each(DIALECTS)('who wrote each message on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let contactId: number;
  let conversationId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    const owner = await login(t);
    await api(t, 'POST', '/api/v1/members', { email: 'maya@example.com', name: 'Maya Lopez', role: 'agent', password: 'correct horse battery' }, owner.headers);
    admin = await login(t, 'maya@example.com', 'correct horse battery');
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'jo@example.com', name: 'Jo Bloggs' })).body.data.id;
    conversationId = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;
  });
  afterAll(async () => t.close());

  const post = async (body: Record<string, unknown>, headers?: Record<string, string>) => {
    const res = await api<{ data: Message & { user_message?: Message; assistant_message?: Message } }>(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, body, headers);
    expect(res.status, res.text).toBe(201);
    return res.body.data;
  };

  it('names the contact, the agent, a member, an API key', async () => {
    const exchange = await post({ content: 'Where is my order?' });
    expect(exchange.user_message!.author).toEqual({ type: 'contact', id: contactId, name: 'Jo Bloggs' });
    expect(exchange.assistant_message!.author).toEqual({ type: 'agent', id: t.workspace.agentId, name: 'Demo Support Agent' });

    const byMember = await post({ role: 'operator', content: 'Let me check.' }, admin.headers);
    expect(byMember.author).toEqual({ type: 'member', id: admin.member.id, name: 'Maya Lopez' });
    expect(byMember.author_id).toBe(admin.member.id);
    const note = await post({ role: 'note', content: 'Parcel lost?' }, admin.headers);
    expect(note.author).toEqual({ type: 'member', id: admin.member.id, name: 'Maya Lopez' });

    const key = await t.services.apiKeys.create(t.workspace.accountId, t.workspace.agentId, { name: 'Helpdesk bridge' });
    const byKey = await post({ role: 'operator', content: 'Sent from our CRM.' }, { authorization: `Bearer ${key.secret}` });
    expect(byKey.author).toEqual({ type: 'api_key', id: key.id, name: 'Helpdesk bridge' });
    expect(byKey.author_id).toBeNull();

    // The list, the single message and the event say the same.
    const list = await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=100`, undefined, admin.headers);
    expect(list.body.data.map((m) => m.author.type)).toEqual(['contact', 'agent', 'member', 'member', 'api_key']);
    const one = await api<{ data: Message }>(t, 'GET', `/api/v1/conversations/${conversationId}/messages/${byKey.id}`);
    expect(one.body.data.author).toEqual(byKey.author);
    const events = await api<{ data: Array<{ data: { message: Message } }> }>(t, 'GET', '/api/v1/events?after=0&limit=100&type=message.created');
    expect(events.body.data.find((e) => e.data.message.id === byMember.id)!.data.message.author.name).toBe('Maya Lopez');
  });

  it('keeps the name a message was written with after a rename', async () => {
    const before = await post({ role: 'operator', content: 'Signed as Maya.' }, admin.headers);
    // Members have no rename route yet: the row is changed as one would be.
    await t.database.db.updateTable('members').set({ name: 'Maya Ruiz' }).where('id', '=', admin.member.id).execute();
    const after = await post({ role: 'operator', content: 'Signed after the rename.' }, admin.headers);
    const list = await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=100`, undefined, admin.headers);
    expect(list.body.data.find((m) => m.id === before.id)!.author.name).toBe('Maya Lopez');
    expect(list.body.data.find((m) => m.id === after.id)!.author.name).toBe('Maya Ruiz');
  });

  it('attributes messages written before authors were stored', async () => {
    const db = t.database.db;
    const later = await undoMigrationsAfter(t.database, '0016-message-authors');
    await sql`alter table messages drop column author_name`.execute(db);
    await sql`alter table messages drop column author_ref`.execute(db);
    await sql`alter table messages drop column author_type`.execute(db);
    await sql`delete from parley_migrations where name = '0016-message-authors'`.execute(db);
    expect(await migrateToLatest(t.database)).toEqual(['0016-message-authors', ...later]);
    const list = await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=100`, undefined, admin.headers);
    const byType = (type: string) => list.body.data.filter((m) => m.author.type === type);
    expect(byType('contact')[0].author).toEqual({ type: 'contact', id: contactId, name: 'Jo Bloggs' });
    expect(byType('agent')[0].author).toEqual({ type: 'agent', id: t.workspace.agentId, name: 'Demo Support Agent' });
    // Members by their name now; a key's name was never kept.
    expect(byType('member').every((m) => m.author.name === 'Maya Ruiz' && m.author.id === admin.member.id)).toBe(true);
    expect(byType('api_key')[0].author).toEqual({ type: 'api_key', id: null, name: null });
  });
});
