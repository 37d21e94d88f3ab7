import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';

interface Attachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}
interface Message {
  id: number;
  role: string;
  content: string;
  attachments: Attachment[];
}
type Exchange = { data: { user_message: Message; assistant_message: Message | null } };

/** Messages carry files: uploads of their conversation, each on one message only. */
describe.each(DIALECTS)('messages with attachments on %s', (dialect) => {
  let t: TestApp;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'files@example.com' })).body.data.id;
  });
  afterAll(async () => t.close());

  const newConversation = async () =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;
  const save = (conversationId: string, filename: string, text = 'hello') =>
    t.services.attachments.saveFile({
      accountId: t.workspace.accountId,
      conversationId,
      filename,
      bytes: Buffer.from(text),
      uploadedBy: 'api_key:test',
    });
  const post = (conversationId: string, body: Record<string, unknown>) =>
    api<Exchange & { data: Message }>(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, body);

  it('refuses attachment_ids that are unknown, of another conversation, already sent or malformed', async () => {
    const id = await newConversation();
    const other = await newConversation();
    const elsewhere = await save(other, 'other.txt');
    const unknown = '0190a0b0-0000-7000-8000-000000000000';
    for (const ids of [[unknown], [elsewhere.id]]) {
      const res = await post(id, { content: 'see file', attachment_ids: ids });
      expect(res.status).toBe(422);
      expect(errorOf(res).code).toBe('UNPROCESSABLE_ENTITY');
      expect(errorOf(res).message).toContain(ids[0]);
      expect(errorOf(res).details).toHaveProperty('attachment_ids');
    }
    const mine = await save(id, 'mine.txt');
    expect((await post(id, { content: 'first', role: 'note', attachment_ids: [mine.id] })).status).toBe(201);
    const again = await post(id, { content: 'again', attachment_ids: [mine.id] });
    expect(again.status).toBe(422);
    expect(errorOf(again).message).toMatch(new RegExp(`${mine.id} is already on a message`));
    for (const bad of [['not-a-uuid'], Array.from({ length: 11 }, () => unknown), 'x']) {
      const res = await post(id, { content: 'x', attachment_ids: bad });
      expect(res.status, JSON.stringify(bad).slice(0, 40)).toBe(400);
    }
    // Nothing of a refused message was stored.
    const list = await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(list.body.data.map((m) => m.content)).toEqual([]);
  });

  it('stores a file alone as a message, presented with its files, and the agent still answers', async () => {
    const id = await newConversation();
    const file = await save(id, '../../etc/invoice\u0000.txt', 'Invoice 42');
    expect(file).toMatchObject({ filename: 'invoice.txt', content_type: 'text/plain', size: 10, message_id: null });
    const res = await post(id, { content: '', attachment_ids: [file.id] });
    expect(res.status).toBe(201);
    const { user_message: u, assistant_message: a } = res.body.data;
    expect(u.content).toBe('');
    expect(u.attachments).toEqual([{ id: file.id, filename: 'invoice.txt', content_type: 'text/plain', size: 10, url: `/api/v1/attachments/${file.id}` }]);
    expect(a?.content.length).toBeGreaterThan(0);
    const [row] = await t.services.attachments.rowsOf(t.workspace.accountId, [file.id]);
    expect(Number(row.message_id)).toBe(u.id);
    expect((await t.services.attachments.read(row)).toString()).toBe('Invoice 42');
    const listed = await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${id}/messages`);
    expect(listed.body.data[0].attachments.map((x) => x.id)).toEqual([file.id]);
    // Blank without files is still refused.
    expect((await post(id, { content: '  ' })).status).toBe(400);
  });

  it('lets operators and notes carry files, several at once', async () => {
    const id = await newConversation();
    const a = await save(id, 'a.txt');
    const b = await save(id, 'b.txt');
    const res = await post(id, { content: 'Here you go', role: 'operator', attachment_ids: [a.id, b.id, a.id] });
    expect(res.status).toBe(201);
    expect(res.body.data.attachments.map((x) => x.filename)).toEqual(['a.txt', 'b.txt']);
  });
});

/** A model reads a message's files as their names, so a file alone still says something. */
describe.each(DIALECTS)('the model’s view of messages with files on %s', (dialect) => {
  let fake: FakeOpenAI;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp(dialect, { llm: { kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'test-key', model: 'fake-model' } });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('names the files of the message and of the history', async () => {
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'model@example.com' })).body.data.id;
    const id = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact })).body.data.id;
    const save = (filename: string) =>
      t.services.attachments.saveFile({ accountId: t.workspace.accountId, conversationId: id, filename, bytes: Buffer.from('x'), uploadedBy: null });
    const first = await save('broken-zip.jpg');
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: '', attachment_ids: [first.id] })).status).toBe(201);
    const second = await save('receipt.pdf');
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'And my receipt', attachment_ids: [second.id] })).status).toBe(201);
    const asked = fake.requests;
    const texts = (r: (typeof asked)[number]) => r.body.messages.filter((m) => m.role === 'user').map((m) => String(m.content));
    expect(texts(asked[0]).at(-1)).toBe('[attachment: broken-zip.jpg]');
    const last = texts(asked[asked.length - 1]);
    expect(last).toContain('[attachment: broken-zip.jpg]');
    expect(last.at(-1)).toBe('And my receipt\n[attachment: receipt.pdf]');
  });
});
