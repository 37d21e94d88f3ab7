import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { download, PNG, upload, type PresentedAttachment } from './attachments.test-support.js';

interface VisitorMessage {
  id: number;
  role: string;
  content: string;
  attachments: PresentedAttachment[];
}

const LIMIT = 256 * 1024;

/** A widget visitor attaches files to its own conversation and sees only those it may. */
describe.each(DIALECTS)('attachments of widget visitors on %s', (dialect) => {
  let t: TestApp;
  let publicKey: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, attachments: { maxBytes: LIMIT } });
    publicKey = (await api<{ data: { public_key: string } }>(t, 'POST', '/api/v1/channels', { name: 'Widget', type: 'web_widget', config: {} })).body.data.public_key;
  });
  afterAll(async () => t.close());

  async function visitor() {
    const res = await api<{ data: { visitor_token: string } }>(t, 'POST', '/api/v1/widget/sessions', { public_key: publicKey }, {});
    const auth = { authorization: `Bearer ${res.body.data.visitor_token}` };
    const conversation = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/widget/conversations', {}, auth)).body.data.id;
    return { auth, conversation };
  }
  const uploadAs = (v: { auth: Record<string, string> }, conversation: string, parts: Parameters<typeof upload>[2]) =>
    upload(t, `/api/v1/widget/conversations/${conversation}/attachments`, parts, v.auth);
  const send = (v: { auth: Record<string, string> }, conversation: string, body: Record<string, unknown>) =>
    api<{ data: { user_message: VisitorMessage; assistant_message: VisitorMessage | null } }>(t, 'POST', `/api/v1/widget/conversations/${conversation}/messages`, body, v.auth);

  it('refuses first: API keys and no credential get 401, another visitor’s conversation 404, files over the limit 413', async () => {
    const alice = await visitor();
    const bob = await visitor();
    const url = `/api/v1/widget/conversations/${alice.conversation}/attachments`;
    expect((await upload(t, url, [{ filename: 'a.txt', content: 'x' }], {})).status).toBe(401);
    expect((await upload(t, url, [{ filename: 'a.txt', content: 'x' }], t.auth)).status).toBe(401);
    expect((await upload(t, url, [{ filename: 'a.txt', content: 'x' }], { authorization: `Bearer ${publicKey}` })).status).toBe(401);
    expect((await uploadAs(bob, alice.conversation, [{ filename: 'a.txt', content: 'x' }])).status).toBe(404);
    const big = await uploadAs(alice, alice.conversation, [{ filename: 'big.bin', content: Buffer.alloc(LIMIT + 1) }]);
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    const json = await api(t, 'POST', url, { file: 'x' }, alice.auth);
    expect(json.status).toBe(400);
  });

  it('uploads, sends a file alone, and shows it on the visitor’s messages and to the team', async () => {
    const v = await visitor();
    const up = await uploadAs(v, v.conversation, [{ filename: 'photo.png', content: PNG, type: 'image/png' }]);
    expect(up.status).toBe(201);
    const file = up.body.data![0];
    expect(file).toMatchObject({ filename: 'photo.png', content_type: 'image/png', size: PNG.length });
    // Its own upload, not yet sent, is visible to the visitor (a preview before sending).
    expect((await download(t, file.url, v.auth)).status).toBe(200);
    const sent = await send(v, v.conversation, { content: '', attachment_ids: [file.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.data.user_message.attachments).toEqual([file]);
    expect(sent.body.data.assistant_message?.content.length).toBeGreaterThan(0);
    const listed = await api<{ data: VisitorMessage[] }>(t, 'GET', `/api/v1/widget/conversations/${v.conversation}/messages`, undefined, v.auth);
    expect(listed.body.data[0].attachments).toEqual([file]);
    const got = await download(t, file.url, v.auth);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(PNG)).toBe(true);
    expect(got.headers['content-disposition']).toMatch(/^inline;/);
    const team = await download(t, file.url);
    expect(team.bytes.equals(PNG)).toBe(true);
    // Streamed sends carry the files too.
    const second = (await uploadAs(v, v.conversation, [{ filename: 'b.txt', content: 'b' }])).body.data![0];
    const streamed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/widget/conversations/${v.conversation}/messages`,
      headers: { ...v.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ content: 'and this', stream: true, attachment_ids: [second.id] }),
    });
    expect(streamed.statusCode).toBe(200);
    expect(streamed.body).toContain(`"id":"${second.id}"`);
  });

  it('shows a visitor nothing of another conversation, of the team’s notes, or of the team’s unsent uploads', async () => {
    const alice = await visitor();
    const bob = await visitor();
    const mine = (await uploadAs(alice, alice.conversation, [{ filename: 'mine.txt', content: 'alice' }])).body.data![0];
    // Another visitor, unsent or sent, never sees it.
    expect((await download(t, mine.url, bob.auth)).status).toBe(404);
    expect((await send(alice, alice.conversation, { content: 'my file', attachment_ids: [mine.id] })).status).toBe(201);
    expect((await download(t, mine.url, bob.auth)).status).toBe(404);
    expect((await download(t, mine.url, alice.auth)).status).toBe(200);

    const teamUrl = `/api/v1/conversations/${alice.conversation}/attachments`;
    const [forNote, draft, reply] = (await upload(t, teamUrl, [
      { filename: 'internal.txt', content: 'internal' },
      { filename: 'draft.txt', content: 'draft' },
      { filename: 'reply.txt', content: 'reply' },
    ])).body.data!;
    expect((await api(t, 'POST', `/api/v1/conversations/${alice.conversation}/messages`, { content: 'for us', role: 'note', attachment_ids: [forNote.id] })).status).toBe(201);
    expect((await api(t, 'POST', `/api/v1/conversations/${alice.conversation}/messages`, { content: 'here', role: 'operator', attachment_ids: [reply.id] })).status).toBe(201);
    expect((await download(t, forNote.url, alice.auth)).status).toBe(404);
    expect((await download(t, draft.url, alice.auth)).status).toBe(404);
    expect((await download(t, reply.url, alice.auth)).status).toBe(200);
    // Nor may the visitor send the team's upload as its own.
    const stolen = await send(alice, alice.conversation, { content: 'mine now', attachment_ids: [draft.id] });
    expect(stolen.status).toBe(422);
    expect(errorOf(stolen).message).toContain(draft.id);
    const bobTries = await send(bob, bob.conversation, { content: 'x', attachment_ids: [mine.id] });
    expect(bobTries.status).toBe(422);
    // An ended session's token opens nothing.
    expect((await api(t, 'DELETE', '/api/v1/widget/sessions/current', undefined, alice.auth)).status).toBe(204);
    expect((await download(t, mine.url, alice.auth)).status).toBe(401);
  });

  it('refuses uploads to an ended conversation with 422', async () => {
    const v = await visitor();
    expect((await api(t, 'POST', `/api/v1/conversations/${v.conversation}/end`, {})).status).toBe(200);
    const res = await uploadAs(v, v.conversation, [{ filename: 'late.txt', content: 'late' }]);
    expect(res.status).toBe(422);
  });
});
