import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, openSecondHandle, type TestApp } from '../../../test/helpers.js';
import { createServices } from '../../services.js';
import { api, errorOf } from '../../../test/http.js';
import { dsn, rawMail } from '../../../test/mail-fixtures.js';
import { uuidv7 } from '../../shared/ids.js';

interface Inbound {
  status: string;
  conversation_id?: string;
  message_id?: number;
}
interface Message {
  id: number;
  role: string;
  content: string;
  status: string;
  author: { type: string; id: number | string | null; name: string | null };
  attachments: Array<{ id: string; filename: string; content_type: string; size: number }>;
  delivery: { status: string; error: string | null } | null;
}
interface Conversation {
  id: string;
  title: string | null;
  channel_id: string | null;
  contact_id: number;
  agent_id: string;
  metadata: Record<string, unknown>;
}

const ADDRESS = 'support@shop.example';
let counter = 0;
const mid = (tag = 'm') => `<${tag}-${Date.now()}-${++counter}@customer.example>`;

/** Issue 17: mail received in an email channel, forwarded to the raw-mail route. */
describe.each(DIALECTS)('inbound email on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let channel: { id: string; token: string };
  let other: { id: string; token: string };

  const createEmailChannel = async (address: string, name = 'Support mail') => {
    const res = await api<{ data: { id: string; inbound_token?: string } }>(t, 'POST', '/api/v1/channels', {
      name,
      type: 'email',
      config: { address, from_name: 'Shop support', smtp: { host: '127.0.0.1', port: 2525, secure: false, user: 'u', password: 'smtp-secret' } },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.data.inbound_token).toBeTruthy();
    return { id: res.body.data.id, token: res.body.data.inbound_token! };
  };

  const post = (channelId: string, body: Buffer | string, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: `/api/v1/channels/${channelId}/inbound`, headers, payload: body });
  const send = async (raw: Buffer, to = channel) => {
    const res = await post(to.id, raw, { 'content-type': 'message/rfc822', 'x-parley-inbound-token': to.token });
    expect(res.statusCode, res.body).toBe(202);
    return (JSON.parse(res.body) as { data: Inbound }).data;
  };
  const messagesOf = async (conversationId: string) =>
    (await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=100`)).body.data;
  const conversation = async (id: string) => (await api<{ data: Conversation }>(t, 'GET', `/api/v1/conversations/${id}`)).body.data;
  const emailOf = (conversationId: string, messageId: number, headers: Record<string, string> = admin.headers) =>
    api<{ data: { direction: string; subject: string; from: string; headers: Array<[string, string]>; original_text: string } }>(
      t,
      'GET',
      `/api/v1/conversations/${conversationId}/messages/${messageId}/email`,
      undefined,
      headers,
    );
  const threadToken = async (conversationId: string) =>
    (await t.database.db.selectFrom('email_threads').select('token').where('conversation_id', '=', conversationId).executeTakeFirstOrThrow()).token;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    channel = await createEmailChannel(ADDRESS);
    other = await createEmailChannel('sales@shop.example', 'Sales mail');
  });
  afterAll(async () => t.close());

  describe('the raw-mail route refuses first', () => {
    let raw: Buffer;
    beforeAll(async () => {
      raw = await rawMail({ from: 'Jane <jane@customer.example>', to: ADDRESS, subject: 'Hello', text: 'Hi', messageId: mid() });
    });

    it('answers 404 without a token, with a wrong one, with another channel\'s, and for an unknown channel', async () => {
      const cases: Array<[string, Record<string, string>]> = [
        [channel.id, { 'content-type': 'message/rfc822' }],
        [channel.id, { 'content-type': 'message/rfc822', 'x-parley-inbound-token': 'it_wrong' }],
        [channel.id, { 'content-type': 'message/rfc822', 'x-parley-inbound-token': other.token }],
        [uuidv7(), { 'content-type': 'message/rfc822', 'x-parley-inbound-token': channel.token }],
        ['not-a-uuid', { 'content-type': 'message/rfc822', 'x-parley-inbound-token': channel.token }],
        // A NUL byte PostgreSQL would refuse to read: still a plain 404, never a 500.
        ['%00', { 'content-type': 'message/rfc822', 'x-parley-inbound-token': channel.token }],
      ];
      for (const [id, headers] of cases) {
        const res = await post(id, raw, headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(404);
        expect(JSON.parse(res.body).error.code).toBe('NOT_FOUND');
      }
      // An API key is no way in either: the route knows only inbound tokens.
      expect((await post(channel.id, raw, { 'content-type': 'message/rfc822', ...t.auth })).statusCode).toBe(404);
    });

    it('answers 415 for a body that is not message/rfc822, once the token is right', async () => {
      for (const type of ['application/json', 'text/plain', 'application/octet-stream']) {
        const res = await post(channel.id, type === 'application/json' ? '{"a":1}' : raw, { 'content-type': type, 'x-parley-inbound-token': channel.token });
        expect(res.statusCode, type).toBe(415);
        expect(JSON.parse(res.body).error.message).toMatch(/message\/rfc822/);
      }
    });

    it('answers 422 for a channel that is not an email channel, or is inactive', async () => {
      const api_ = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'API', type: 'api' });
      const token = 'it_for_an_api_channel';
      await t.database.db.updateTable('channels').set({ inbound_token_hash: createHash('sha256').update(token).digest('hex') }).where('id', '=', api_.body.data.id).execute();
      let res = await post(api_.body.data.id, raw, { 'content-type': 'message/rfc822', 'x-parley-inbound-token': token });
      expect(res.statusCode).toBe(422);
      const off = await createEmailChannel('off@shop.example', 'Off');
      expect((await api(t, 'PATCH', `/api/v1/channels/${off.id}`, { active: false })).status).toBe(200);
      res = await post(off.id, raw, { 'content-type': 'message/rfc822', 'x-parley-inbound-token': off.token });
      expect(res.statusCode).toBe(422);
      expect(JSON.parse(res.body).error.message).toMatch(/inactive/);
    });

    it('answers 400 for a body that is not a mail', async () => {
      for (const body of ['', 'just some words, no headers at all', 'Subject: no sender\r\n\r\nbody']) {
        const res = await post(channel.id, body, { 'content-type': 'message/rfc822', 'x-parley-inbound-token': channel.token });
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(JSON.parse(res.body).error.code).toBe('BAD_REQUEST');
      }
    });
  });

  it('imports a mail once: a new conversation titled by the subject, its contact named from the display name', async () => {
    const raw = await rawMail({ from: '"Jane Doe" <Jane.Doe@Customer.example>', to: ADDRESS, subject: 'Re: Fwd: Where is my order?', text: 'Order 1234 has not arrived.', messageId: mid() });
    const first = await send(raw);
    expect(first.status).toBe('imported');
    const again = await send(raw);
    expect(again).toEqual({ status: 'duplicate' });
    const c = await conversation(first.conversation_id!);
    expect(c.title).toBe('Where is my order?');
    expect(c.channel_id).toBe(channel.id);
    expect(c.agent_id).toBe(t.workspace.agentId);
    const messages = await messagesOf(c.id);
    expect(messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['Order 1234 has not arrived.']);
    expect(messages.find((m) => m.role === 'user')!.author).toMatchObject({ type: 'contact', id: c.contact_id, name: 'Jane Doe' });
    // The AI's reply is queued for the replies worker.
    const queued = await t.database.db.selectFrom('messages').select(['role', 'status']).where('conversation_id', '=', c.id).where('role', '=', 'assistant').execute();
    expect(queued).toEqual([{ role: 'assistant', status: 'pending' }]);
    const contact = (await api<{ data: { email: string; name: string } }>(t, 'GET', `/api/v1/contacts/${c.contact_id}`)).body.data;
    expect(contact).toMatchObject({ email: 'jane.doe@customer.example', name: 'Jane Doe' });
    // A later mail with another display name does not rename the contact.
    await send(await rawMail({ from: 'J. D. <jane.doe@customer.example>', to: ADDRESS, subject: 'Another thing', text: 'Also…', messageId: mid() }));
    expect((await api<{ data: { name: string } }>(t, 'GET', `/api/v1/contacts/${c.contact_id}`)).body.data.name).toBe('Jane Doe');
  });

  it('names an existing contact without a name, and gives a mail without a subject a plain title', async () => {
    const created = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'noname@customer.example' });
    const res = await send(await rawMail({ from: 'Nora Name <noname@customer.example>', to: ADDRESS, text: 'No subject here', messageId: mid() }));
    const c = await conversation(res.conversation_id!);
    expect(c.contact_id).toBe(created.body.data.id);
    expect(c.title).toBe('(no subject)');
    expect((await api<{ data: { name: string } }>(t, 'GET', `/api/v1/contacts/${c.contact_id}`)).body.data.name).toBe('Nora Name');
  });

  it('keeps a three-mail thread in one conversation, by In-Reply-To, by References and by +token', async () => {
    const id1 = mid('t1');
    const first = await send(await rawMail({ from: 'Tom <tom@customer.example>', to: ADDRESS, subject: 'Broken zipper', text: 'The zipper broke.', messageId: id1 }));
    const id2 = mid('t2');
    const second = await send(await rawMail({ from: 'Tom <tom@customer.example>', to: ADDRESS, subject: 'Re: Broken zipper', text: 'Photo attached later.', messageId: id2, inReplyTo: id1, references: [id1] }));
    expect(second.conversation_id).toBe(first.conversation_id);
    // References alone (no In-Reply-To), newest last.
    const third = await send(await rawMail({ from: 'Tom <tom@customer.example>', to: ADDRESS, subject: 'Re: Broken zipper', text: 'Any news?', messageId: mid('t3'), references: [mid('unknown'), id1, id2] }));
    expect(third.conversation_id).toBe(first.conversation_id);
    // No headers at all, but the thread's reply-to address.
    const token = await threadToken(first.conversation_id!);
    expect(token).toMatch(/^[a-z0-9]{20}$/);
    const fourth = await send(await rawMail({ from: 'Tom <tom@customer.example>', to: `support+${token}@shop.example`, subject: 'again', text: 'Hello?', messageId: mid('t4') }));
    expect(fourth.conversation_id).toBe(first.conversation_id);
    const users = (await messagesOf(first.conversation_id!)).filter((m) => m.role === 'user');
    expect(users.map((m) => m.content)).toEqual(['The zipper broke.', 'Photo attached later.', 'Any news?', 'Hello?']);
    // Another channel's Message-IDs and tokens thread nothing here.
    const elsewhere = await send(await rawMail({ from: 'Tom <tom@customer.example>', to: `sales+${token}@shop.example`, subject: 'Re: Broken zipper', text: 'Sales?', messageId: mid('t5'), inReplyTo: id1 }), other);
    expect(elsewhere.conversation_id).not.toBe(first.conversation_id);
  });

  it('threads a reply to a mail Parley sent into its conversation', async () => {
    const start = await send(await rawMail({ from: 'Uma <uma@customer.example>', to: ADDRESS, subject: 'Size question', text: 'Is it true to size?', messageId: mid() }));
    const sent = `out-${Date.now()}@shop.example`;
    await t.database.db
      .insertInto('email_messages')
      .values({
        id: uuidv7(),
        account_id: t.workspace.accountId,
        channel_id: channel.id,
        conversation_id: start.conversation_id!,
        message_id: null,
        direction: 'out',
        message_id_header: sent,
        subject: 'Re: Size question',
        from_address: ADDRESS,
        headers: '[]',
        original_text: null,
        disposition: 'sent',
        created_at: new Date().toISOString(),
      })
      .execute();
    const reply = await send(await rawMail({ from: 'Uma <uma@customer.example>', to: ADDRESS, subject: 'Re: Size question', text: 'Thanks!', messageId: mid(), inReplyTo: `<${sent}>` }));
    expect(reply.conversation_id).toBe(start.conversation_id);
  });

  it("opens a new conversation, linking the old one, for mail to an ended conversation", async () => {
    const idA = mid();
    const first = await send(await rawMail({ from: 'Vic <vic@customer.example>', to: ADDRESS, subject: 'Refund', text: 'I want a refund.', messageId: idA }));
    expect((await api(t, 'POST', `/api/v1/conversations/${first.conversation_id}/end`, {})).status).toBe(200);
    const follow = await send(await rawMail({ from: 'Vic <vic@customer.example>', to: ADDRESS, subject: 'Re: Refund', text: 'Still waiting.', messageId: mid(), inReplyTo: idA }));
    expect(follow.status).toBe('imported');
    expect(follow.conversation_id).not.toBe(first.conversation_id);
    const c = await conversation(follow.conversation_id!);
    expect(c.metadata).toMatchObject({ previous_conversation_id: first.conversation_id });
    expect(c.title).toBe('Refund');
    // The new conversation has its own thread (and token).
    expect(await threadToken(c.id)).not.toBe(await threadToken(first.conversation_id!));
    // And the next reply to the follow-up's thread stays there.
    const next = await send(await rawMail({ from: 'Vic <vic@customer.example>', to: `support+${await threadToken(c.id)}@shop.example`, subject: 'Re: Refund', text: 'Hello?', messageId: mid() }));
    expect(next.conversation_id).toBe(c.id);
  });

  it("forgets a deleted conversation's mail, and starts a new one when its thread is written to", async () => {
    const idA = mid();
    const first = await send(await rawMail({ from: 'Del <del@customer.example>', to: ADDRESS, subject: 'Gone', text: 'First.', messageId: idA }));
    const token = await threadToken(first.conversation_id!);
    const c = await conversation(first.conversation_id!);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${c.contact_id}/conversations`)).status).toBe(204);
    // No copy of the mail is left behind: its thread and the mail itself went with the conversation.
    const left = async (table: 'email_threads' | 'email_messages') =>
      (await t.database.db.selectFrom(table).select('conversation_id').where('conversation_id', '=', first.conversation_id!).execute()).length;
    expect(await left('email_threads')).toBe(0);
    expect(await left('email_messages')).toBe(0);
    const again = await send(await rawMail({ from: 'Del <del@customer.example>', to: `support+${token}@shop.example`, subject: 'Re: Gone', text: 'Hello again.', messageId: mid(), inReplyTo: idA }));
    expect(again.status).toBe('imported');
    expect(again.conversation_id).not.toBe(first.conversation_id);
    expect((await conversation(again.conversation_id!)).title).toBe('Gone');
  });

  it('stores automatic mail without an AI reply, and drops the channel\'s own mail', async () => {
    const cases: Array<[string, Parameters<typeof rawMail>[0]]> = [
      ['Auto-Submitted', { from: 'Wes <wes@customer.example>', headers: { 'Auto-Submitted': 'auto-replied' }, subject: 'Out of office', text: 'I am away.' }],
      ['Precedence', { from: 'News <news@customer.example>', headers: { Precedence: 'bulk' }, subject: 'Newsletter', text: 'Our news.' }],
      ['X-Autoreply', { from: 'Xia <xia@customer.example>', headers: { 'X-Autoreply': 'yes' }, subject: 'Auto', text: 'Auto.' }],
      ['mailer-daemon', { from: 'MAILER-DAEMON@mx.example', subject: 'Warning: delayed', text: 'Your mail is delayed.' }],
      ['noreply', { from: 'Shop <no-reply@platform.example>', subject: 'Your invoice', text: 'Invoice attached.' }],
    ];
    for (const [name, options] of cases) {
      const res = await send(await rawMail({ to: ADDRESS, messageId: mid(), ...options }));
      expect(res.status, name).toBe('no_reply');
      const messages = await messagesOf(res.conversation_id!);
      expect(messages.map((m) => m.role), name).toEqual(['user']);
    }
    // Auto-Submitted: no is a person's mail.
    const person = await send(await rawMail({ from: 'Yan <yan@customer.example>', to: ADDRESS, headers: { 'Auto-Submitted': 'no' }, subject: 'Hi', text: 'Hi.', messageId: mid() }));
    expect(person.status).toBe('imported');
    // The channel's own address: stored, never posted.
    const own = await send(await rawMail({ from: `Support <${ADDRESS}>`, to: ADDRESS, subject: 'Re: Hi', text: 'Our own reply.', messageId: mid() }));
    expect(own).toEqual({ status: 'no_reply' });
  });

  it('records a bounce against the message it returns, with no message and no reply', async () => {
    const start = await send(await rawMail({ from: 'Zed <zed@customer.example>', to: ADDRESS, subject: 'Question', text: 'A question.', messageId: mid() }));
    const reply = await api<{ data: Message }>(t, 'POST', `/api/v1/conversations/${start.conversation_id}/messages`, { role: 'operator', content: 'An answer.' });
    expect(reply.status, reply.text).toBe(201);
    const messageId = reply.body.data.id;
    const sent = `sent-${Date.now()}@shop.example`;
    await t.database.db
      .insertInto('email_messages')
      .values({
        id: uuidv7(),
        account_id: t.workspace.accountId,
        channel_id: channel.id,
        conversation_id: start.conversation_id!,
        message_id: messageId,
        direction: 'out',
        message_id_header: sent,
        subject: 'Re: Question',
        from_address: ADDRESS,
        headers: '[]',
        original_text: null,
        disposition: 'sent',
        created_at: new Date().toISOString(),
      })
      .execute();
    const before = (await messagesOf(start.conversation_id!)).length;
    const res = await send(dsn({ to: ADDRESS, returnedMessageId: sent }));
    expect(res).toEqual({ status: 'bounce', conversation_id: start.conversation_id });
    const after = await messagesOf(start.conversation_id!);
    expect(after.length).toBe(before);
    const bounced = after.find((m) => m.id === messageId)!;
    expect(bounced.delivery).toMatchObject({ status: 'failed' });
    expect(bounced.delivery!.error).toMatch(/^bounced: .*550 5\.1\.1/);
    const stored = await t.database.db.selectFrom('email_messages').select(['disposition', 'message_id']).where('disposition', '=', 'bounce').execute();
    expect(stored).toEqual([{ disposition: 'bounce', message_id: null }]);
  });

  it('answers at most 5 mails per contact per hour with the AI; the 6th is stored unanswered', async () => {
    const results: Inbound[] = [];
    for (let i = 1; i <= 6; i++) {
      results.push(await send(await rawMail({ from: 'Cap <cap@customer.example>', to: ADDRESS, subject: `Question ${i}`, text: `Question number ${i}`, messageId: mid('cap') })));
      while ((await t.services.replies.processPending()) > 0);
    }
    expect(results.map((r) => r.status)).toEqual(['imported', 'imported', 'imported', 'imported', 'imported', 'rate_limited']);
    let assistants = 0;
    for (const r of results) assistants += (await messagesOf(r.conversation_id!)).filter((m) => m.role === 'assistant' && m.status === 'completed').length;
    expect(assistants).toBe(5);
    expect((await messagesOf(results[5].conversation_id!)).map((m) => m.role)).toEqual(['user']);
  });

  it('strips the quoted reply and the signature; members see the original mail', async () => {
    const idA = mid();
    await send(await rawMail({ from: 'Gil <gil@customer.example>', to: ADDRESS, subject: 'Delivery', text: 'When will it arrive?', messageId: idA }));
    const gmail = [
      'Great, thanks a lot!',
      '',
      'Gil',
      '',
      '-- ',
      'Gil Gomez | Gomez Trading',
      '+1 555 0100',
      '',
      'On Tue, Dec 3, 2024 at 10:02 AM Shop support <support@shop.example>',
      'wrote:',
      '',
      '> It ships tomorrow.',
      '>',
      '> > When will it arrive?',
    ].join('\n');
    const res = await send(await rawMail({ from: 'Gil <gil@customer.example>', to: ADDRESS, subject: 'Re: Delivery', text: gmail, messageId: mid(), inReplyTo: idA }));
    const message = (await messagesOf(res.conversation_id!)).find((m) => m.id === res.message_id)!;
    expect(message.content).toBe('Great, thanks a lot!\n\nGil');
    const view = await emailOf(res.conversation_id!, res.message_id!);
    expect(view.status, view.text).toBe(200);
    expect(view.body.data).toMatchObject({ direction: 'in', subject: 'Re: Delivery', from: 'gil@customer.example' });
    expect(view.body.data.original_text).toContain('> It ships tomorrow.');
    expect(view.body.data.headers).toContainEqual(['In-Reply-To', idA]);
    // Members only; a message that was no mail is a 404.
    expect((await emailOf(res.conversation_id!, res.message_id!, t.auth)).status).toBe(403);
    const note = await api<{ data: Message }>(t, 'POST', `/api/v1/conversations/${res.conversation_id}/messages`, { role: 'note', content: 'A note.' }, admin.headers);
    const notMail = await emailOf(res.conversation_id!, note.body.data.id);
    expect(notMail.status).toBe(404);
    expect(errorOf(notMail).code).toBe('NOT_FOUND');
    const foreign = await t.otherWorkspace();
    expect((await emailOf(res.conversation_id!, res.message_id!, foreign.auth)).status).toBe(403);
  });

  it('reads an HTML-only mail as text, and keeps a mail\'s attachments on its message', async () => {
    const html = await send(
      await rawMail({ from: 'Hal <hal@customer.example>', to: ADDRESS, subject: 'HTML', html: '<div><p>Hello <b>team</b>,</p><p>the <a href="https://shop.example/o/1">order</a> is late.</p></div>', messageId: mid() }),
    );
    const content = (await messagesOf(html.conversation_id!)).find((m) => m.id === html.message_id)!.content;
    expect(content).toMatch(/^Hello team,/);
    expect(content).toContain('is late.');
    expect(content).not.toMatch(/<p>|<b>/);

    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const withFiles = await send(
      await rawMail({
        from: 'Ida <ida@customer.example>',
        to: ADDRESS,
        subject: 'Damaged item',
        text: 'See the photo and the receipt.',
        messageId: mid(),
        attachments: [
          { filename: 'photo.png', content: png, contentType: 'image/png' },
          { filename: 'receipt.txt', content: 'Receipt #42\n', contentType: 'text/plain' },
        ],
      }),
    );
    const message = (await messagesOf(withFiles.conversation_id!)).find((m) => m.id === withFiles.message_id)!;
    expect(message.content).toBe('See the photo and the receipt.');
    expect(message.attachments.map((a) => [a.filename, a.content_type])).toEqual([
      ['photo.png', 'image/png'],
      ['receipt.txt', 'text/plain'],
    ]);
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${message.attachments[0].id}`, headers: t.auth });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(png)).toBe(true);

    // Far above the API's JSON body limit: a mail may carry large files.
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const large = await send(await rawMail({ from: 'Ida <ida@customer.example>', to: ADDRESS, subject: 'Scan', text: 'The scan.', messageId: mid(), attachments: [{ filename: 'scan.bin', content: big }] }));
    const carried = (await messagesOf(large.conversation_id!)).find((m) => m.id === large.message_id)!;
    expect(carried.attachments.map((a) => [a.filename, a.size])).toEqual([['scan.bin', big.length]]);
  });

  it('gives the same result for a mail without a Message-ID received twice', async () => {
    const raw = Buffer.from(['From: Kim <kim@customer.example>', `To: ${ADDRESS}`, 'Subject: No id', '', `Sent without an id ${Date.now()}`, ''].join('\r\n'));
    const first = await send(raw);
    expect(first.status).toBe('imported');
    expect(await send(raw)).toEqual({ status: 'duplicate' });
    const row = await t.database.db.selectFrom('email_messages').select('message_id_header').where('message_id', '=', first.message_id!).executeTakeFirstOrThrow();
    expect(row.message_id_header).toMatch(/@parley\.invalid$/);
  });

  it.runIf(dialect === 'postgres')('imports a mail received twice at the same moment once (two processes)', async () => {
    const raw = await rawMail({ from: 'Ray <ray@customer.example>', to: ADDRESS, subject: 'Race', text: 'Twice at once.', messageId: mid('race') });
    const row = await t.services.repos.channels.findById(t.workspace.accountId, channel.id);
    // Another process: its own services over its own connections to the same database.
    const handle = openSecondHandle(dialect, t.location);
    const second = createServices({ database: handle, config: { llm: null } });
    try {
      const results = await Promise.all([t.services.emailInbound.receiveRaw(row!, raw, 'imap'), second.emailInbound.receiveRaw(row!, raw, 'forward')]);
      expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'imported']);
    } finally {
      await handle.close();
    }
    const contact = await t.database.db.selectFrom('contacts').select('id').where('email', '=', 'ray@customer.example').executeTakeFirstOrThrow();
    const conversations = await t.database.db.selectFrom('conversations').select('id').where('contact_id', '=', contact.id).execute();
    expect(conversations).toHaveLength(1);
    expect((await messagesOf(conversations[0].id)).filter((m) => m.role === 'user')).toHaveLength(1);
  });
});

/** An address that keeps guessing inbound tokens is made to wait, whatever it sends next. */
describe.each(DIALECTS)('inbound token guessing on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('answers 429 after 20 wrong tokens from one address', async () => {
    const raw = await rawMail({ from: 'a@customer.example', to: ADDRESS, subject: 'x', text: 'y' });
    const guess = (token: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/channels/${uuidv7()}/inbound`, headers: { 'content-type': 'message/rfc822', 'x-parley-inbound-token': token }, payload: raw });
    for (let i = 0; i < 20; i++) expect((await guess(`it_guess_${i}`)).statusCode).toBe(404);
    const blocked = await guess('it_guess_21');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(blocked.body).error.code).toBe('RATE_LIMITED');
  });
});
