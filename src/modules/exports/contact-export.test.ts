import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { PNG, download, upload } from '../attachments/attachments.test-support.js';

type Json = Record<string, unknown>;
interface Doc {
  exported_at: string;
  includes_notes: boolean;
  contact: Json;
  conversations: Array<Json & { id: string; messages: Array<Json & { id: number; role: string }>; attachments: Array<Json & { url: string }>; email: Json | null }>;
  feedback: Json[];
  csat: Json[];
  widget_sessions: Json[];
}

/** Issue 18: a person's data in one document (GDPR access), complete, and only to those who may read it. */
describe.each(DIALECTS)('the contact export on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agent: TestSession;
  let contactId: number;
  let ended: string;
  let open: string;
  let assistantId: number;
  let noteId: number;
  let sentFile: string;
  let noteFile: string;
  let draftFile: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    agent = await loginAsAgentMember(t, admin);
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: '+44 20 7946 0000',
      metadata: { address: '12 St James Square, London', plan: 'gold' },
    });
    contactId = contact.body.data.id;
    const start = async () => (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;
    ended = await start();
    open = await start();
    const post = async (conversation: string, body: Json, headers?: Record<string, string>) => {
      const res = await api<{ data: Json & { id: number; assistant_message?: { id: number } } }>(t, 'POST', `/api/v1/conversations/${conversation}/messages`, body, headers);
      expect(res.status, res.text).toBe(201);
      return res.body.data;
    };
    const exchange = await post(ended, { content: 'My card 4111 1111 1111 1111 was charged twice' });
    assistantId = exchange.assistant_message!.id;
    expect((await api(t, 'POST', `/api/v1/conversations/${ended}/messages/${assistantId}/feedback`, { rating: 'dislike', comment: 'Not helpful' })).status).toBe(200);
    const files = await upload(t, `/api/v1/conversations/${ended}/attachments`, [{ filename: 'receipt.png', content: PNG }, { filename: 'internal.png', content: PNG }], admin.headers);
    expect(files.status).toBe(201);
    [sentFile, noteFile] = files.body.data!.map((f) => f.id);
    await post(ended, { role: 'operator', content: 'Refunded, see receipt', attachment_ids: [sentFile] }, admin.headers);
    noteId = (await post(ended, { role: 'note', content: 'Chargeback risk, watch this one', attachment_ids: [noteFile] }, admin.headers)).id;
    expect((await api(t, 'POST', `/api/v1/conversations/${ended}/tags`, { tag: 'billing' })).status).toBeLessThan(300);
    expect((await api(t, 'POST', `/api/v1/conversations/${ended}/end`, {})).status).toBe(200);
    await post(open, { content: '=HYPERLINK("http://evil.example")' });
    // An upload no message has taken yet: the team's draft, not the contact's data.
    draftFile = (await upload(t, `/api/v1/conversations/${open}/attachments`, [{ filename: 'draft.png', content: PNG }], admin.headers)).body.data![0].id;

    // What only the widget and the mail channel write, set as they would set it.
    const db = t.database.db;
    const at = new Date().toISOString();
    await db.updateTable('conversations').set({ csat_rating: 2, csat_comment: 'Slow refund', csat_at: at }).where('id', '=', ended).execute();
    const channel = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Site chat', type: 'web_widget' });
    expect(channel.status, channel.text).toBe(201);
    await db
      .insertInto('visitor_sessions')
      .values({ id: crypto.randomUUID(), account_id: t.workspace.accountId, channel_id: channel.body.data.id, contact_id: contactId, token_hash: 'x', verified: 1, created_at: at, last_seen_at: at, expires_at: at, revoked_at: null })
      .execute();
    await db
      .insertInto('email_threads')
      .values({ conversation_id: open, account_id: t.workspace.accountId, channel_id: channel.body.data.id, token: 'tok', subject: 'Order 1234', contact_address: 'ada@example.com', created_at: at })
      .execute();
    await db
      .insertInto('email_messages')
      .values({
        id: crypto.randomUUID(),
        account_id: t.workspace.accountId,
        channel_id: channel.body.data.id,
        conversation_id: open,
        message_id: null,
        direction: 'in',
        message_id_header: 'abc@mail.example',
        subject: 'Order 1234',
        from_address: 'ada@example.com',
        headers: JSON.stringify([['From', 'Ada <ada@example.com>']]),
        original_text: 'Where is order 1234?\n-- \nAda',
        disposition: 'imported',
        created_at: at,
      })
      .execute();

    // Another contact's conversation, which must not leak in.
    const other = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'bob@example.com' });
    const theirs = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: other.body.data.id })).body.data.id;
    await post(theirs, { content: 'Bob here' });
  });
  afterAll(async () => t.close());

  const exportOf = (query = '', headers: Record<string, string> = admin.headers, id = contactId) =>
    api<{ data: Doc }>(t, 'GET', `/api/v1/contacts/${id}/export${query}`, undefined, headers);

  it('refuses notes to all but admins, bad input and strangers, in plain words', async () => {
    for (const who of [agent.headers, t.auth]) {
      const res = await exportOf('?include_notes=true', who);
      expect(res.status).toBe(403);
      expect(errorOf(res).message).toBe('Only admins can include internal notes in an export');
    }
    const bad = await exportOf('?include_notes=maybe');
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe('BAD_REQUEST');
    expect((await exportOf('?format=xml')).status).toBe(400);
    expect((await exportOf('', admin.headers, 999_999)).status).toBe(404);
    const stranger = await t.otherWorkspace();
    expect((await exportOf('', stranger.auth)).status).toBe(404);
    expect((await exportOf('', {})).status).toBe(401);
  });

  it('holds the contact, every conversation and message as the API shows them, field by field', async () => {
    // Read through the API first: a member reading a conversation marks it read, which the export then shows too.
    const shown = new Map<string, Json>();
    for (const id of [ended, open]) shown.set(id, (await api<{ data: Json }>(t, 'GET', `/api/v1/conversations/${id}`, undefined, admin.headers)).body.data);
    const res = await exportOf('?include_notes=true');
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="contact-${contactId}-export.json"`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const doc = res.body.data;
    expect(Object.keys(doc).sort()).toEqual(['contact', 'conversations', 'csat', 'exported_at', 'feedback', 'includes_notes', 'widget_sessions']);
    expect(doc.includes_notes).toBe(true);
    expect(Date.parse(doc.exported_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(doc.contact).toEqual((await api<{ data: Json }>(t, 'GET', `/api/v1/contacts/${contactId}`)).body.data);
    expect(doc.contact).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', phone: '+44 20 7946 0000', metadata: { address: '12 St James Square, London', plan: 'gold' } });

    expect(doc.conversations.map((c) => c.id)).toEqual([ended, open]);
    for (const conversation of doc.conversations) {
      const { messages, attachments, email, ...rest } = conversation;
      expect(rest).toEqual(shown.get(conversation.id));
      const listed = await api<{ data: Json[] }>(t, 'GET', `/api/v1/conversations/${conversation.id}/messages?limit=100`, undefined, admin.headers);
      expect(messages).toEqual(listed.body.data);
      expect(Array.isArray(attachments) && (email === null || typeof email === 'object')).toBe(true);
    }
    const [first, second] = doc.conversations;
    expect(first.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'operator', 'note']);
    expect(first.messages[0].content).toBe('My card 4111 1111 1111 1111 was charged twice');
    expect(first).toMatchObject({ status: 'ended', tags: ['billing'], csat: { rating: 2, comment: 'Slow refund' } });
    expect(second.messages[0].content).toBe('=HYPERLINK("http://evil.example")');

    // Files: metadata and a URL that downloads them; the team's unsent draft is not the contact's.
    expect(first.attachments.map((a) => [a.id, a.filename, a.content_type, a.size, a.url, a.message_id])).toEqual([
      [sentFile, 'receipt.png', 'image/png', PNG.length, `/api/v1/attachments/${sentFile}`, first.messages[2].id],
      [noteFile, 'internal.png', 'image/png', PNG.length, `/api/v1/attachments/${noteFile}`, noteId],
    ]);
    expect(second.attachments.map((a) => a.id)).not.toContain(draftFile);
    const fetched = await download(t, first.attachments[0].url);
    expect(fetched.status).toBe(200);
    expect(Buffer.compare(fetched.bytes, PNG)).toBe(0);

    expect(first.email).toBeNull();
    expect(second.email).toMatchObject({
      subject: 'Order 1234',
      contact_address: 'ada@example.com',
      mails: [{ direction: 'in', message_id_header: 'abc@mail.example', from_address: 'ada@example.com', headers: [['From', 'Ada <ada@example.com>']], original_text: 'Where is order 1234?\n-- \nAda' }],
    });

    expect(doc.feedback).toEqual([{ conversation_id: ended, message_id: assistantId, rating: 'dislike', comment: 'Not helpful', created_at: expect.any(String) }]);
    expect(doc.csat).toEqual([{ conversation_id: ended, rating: 2, comment: 'Slow refund', at: expect.any(String) }]);
    expect(doc.widget_sessions).toEqual([{ channel_id: expect.any(String), verified: true, created_at: expect.any(String), last_seen_at: expect.any(String), expires_at: expect.any(String) }]);
    expect(JSON.stringify(doc)).not.toContain('Bob here');
  });

  it('leaves notes and their files out unless an admin asks for them', async () => {
    for (const who of [admin.headers, agent.headers, t.auth]) {
      const res = await exportOf('', who);
      expect(res.status, res.text).toBe(200);
      const doc = res.body.data;
      expect(doc.includes_notes).toBe(false);
      const first = doc.conversations[0];
      expect(first.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'operator']);
      expect(first.attachments.map((a) => a.id)).toEqual([sentFile]);
      expect(JSON.stringify(doc)).not.toContain('Chargeback risk');
      // What an API key lists (no notes) is what the export holds.
      const listed = await api<{ data: Json[] }>(t, 'GET', `/api/v1/conversations/${first.id}/messages?limit=100`);
      expect(first.messages).toEqual(listed.body.data);
    }
  });
});
