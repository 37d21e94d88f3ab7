import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { closedPort, startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../../test/support/smtp.js';
import { MAX_ATTEMPTS } from '../channels/channels.worker.js';

interface Delivery {
  status: 'queued' | 'sent' | 'failed';
  error: string | null;
  attempts: number;
  sent_at: string | null;
}
interface Message {
  id: number;
  role: string;
  content: string;
  delivery: Delivery | null;
}
interface Channel {
  id: string;
  status: { state: string | null; last_error: string | null; last_error_at: string | null; checked_at: string | null };
}

const SMTP_PASSWORD = 'smtp-pass-123';
const DAY = 24 * 60 * 60 * 1000;

const header = (mail: ReceivedMail, name: string) => {
  const value = mail.parsed.headers.get(name.toLowerCase());
  return typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
};

describe.each(DIALECTS)('email replies sent by SMTP on %s', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: TestSession;
  let channelId: string;

  const smtpConfig = (port: number, password?: string) => ({
    address: 'support@shop.example',
    from_name: 'Shop support',
    smtp: { host: '127.0.0.1', port, secure: false, user: 'mailer', ...(password === undefined ? {} : { password }) },
  });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    smtp = await startSmtpServer();
    admin = await login(t);
    const res = await api<{ data: Channel }>(t, 'POST', '/api/v1/channels', { name: 'Support mail', type: 'email', config: smtpConfig(smtp.port, SMTP_PASSWORD) });
    expect(res.status).toBe(201);
    channelId = res.body.data.id;
  });
  afterAll(async () => {
    await t.services.channelRegistry.close();
    await smtp.stop();
    await t.close();
  });

  /** A conversation of the email channel with a contact who has an address; `title` is the thread's subject. */
  async function emailConversation(opts: { title?: string; email?: string | null; channel?: string } = {}): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {
      name: 'Carla Customer',
      ...(opts.email === null ? {} : { email: opts.email ?? `carla-${Math.random().toString(36).slice(2, 8)}@example.com` }),
    });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', {
      contact_id: contact.body.data.id,
      channel_id: opts.channel ?? channelId,
      ...(opts.title ? { title: opts.title } : {}),
    });
    expect(conv.status).toBe(201);
    return conv.body.data.id;
  }

  const reply = async (conversationId: string, content: string, headers: Record<string, string> = admin.headers, extra: Record<string, unknown> = {}) => {
    const res = await api<{ data: Message }>(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { role: 'operator', content, ...extra }, headers);
    expect(res.status, res.text).toBe(201);
    return res.body.data;
  };
  const message = async (conversationId: string, id: number) =>
    (await api<{ data: Message }>(t, 'GET', `/api/v1/conversations/${conversationId}/messages/${id}`)).body.data;

  it("sends an operator's reply as a mail from the channel, threaded, with text and escaped HTML", async () => {
    const conversationId = await emailConversation({ title: 'Where is my order?', email: 'carla@example.com' });
    const sent = await reply(conversationId, 'Hi Carla, it ships **today**. <script>alert(1)</script> <b>x</b>');
    // Queued in the reply's own write: the answer and the announced event already say so.
    expect(sent.delivery).toEqual({ status: 'queued', error: null, attempts: 0, sent_at: null });
    const events = await api<{ data: Array<{ type: string; data: { message: Message } }> }>(t, 'GET', '/api/v1/events?type=message.created&limit=100');
    const announced = events.body.data.find((e) => e.data.message.id === sent.id);
    expect(announced?.data.message.delivery).toEqual({ status: 'queued', error: null, attempts: 0, sent_at: null });

    const before = smtp.received.length;
    expect(await t.services.channelWorker.run()).toBe(1);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.parsed.from?.value).toEqual([{ name: 'Admin from Test workspace', address: 'support@shop.example' }]);
    expect(mail.to).toEqual(['carla@example.com']);
    expect(mail.from).toBe('support@shop.example');
    expect(mail.auth).toEqual({ username: 'mailer', password: SMTP_PASSWORD });
    expect(mail.parsed.subject).toBe('Re: Where is my order?');
    expect(mail.parsed.messageId).toMatch(/^<[0-9a-f]{32}@shop\.example>$/);
    expect(mail.parsed.inReplyTo).toBeUndefined();
    expect(header(mail, 'auto-submitted')).toBeUndefined();
    const thread = await t.database.db.selectFrom('email_threads').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    expect(thread).toMatchObject({ channel_id: channelId, subject: 'Where is my order?', contact_address: 'carla@example.com' });
    expect(thread.token).toMatch(/^[a-z0-9]{20}$/);
    expect(mail.parsed.replyTo?.value).toEqual([{ name: '', address: `support+${thread.token}@shop.example` }]);
    expect(mail.parsed.text?.trim()).toBe('Hi Carla, it ships **today**. <script>alert(1)</script> <b>x</b>');
    expect(mail.parsed.html).toContain('<strong>today</strong>');
    expect(mail.parsed.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.parsed.html).not.toContain('<script>');
    expect(mail.parsed.html).not.toContain('<b>');

    // The Message-ID is kept (the customer's answer threads back by it) and the message shows it left.
    const stored = await t.database.db.selectFrom('email_messages').selectAll().where('message_id', '=', sent.id).executeTakeFirstOrThrow();
    expect(`<${stored.message_id_header}>`).toBe(mail.parsed.messageId);
    expect(stored).toMatchObject({ direction: 'out', disposition: 'sent', channel_id: channelId, conversation_id: conversationId, subject: 'Re: Where is my order?' });
    expect(JSON.parse(stored.headers)).toContainEqual(['Message-ID', mail.parsed.messageId]);
    const delivery = await t.database.db.selectFrom('channel_deliveries').selectAll().where('message_id', '=', sent.id).executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1, external_id: stored.message_id_header });
    const after = await message(conversationId, sent.id);
    expect(after.delivery).toMatchObject({ status: 'sent', error: null, attempts: 1 });
    expect(Date.parse(after.delivery!.sent_at!)).toBeGreaterThan(0);
    // Announced once it left, for webhooks and the inbox: the message as it now is.
    const sentEvents = await api<{ data: Array<{ data: { message: Message; conversation: { id: string } } }> }>(t, 'GET', '/api/v1/events?type=message.sent&limit=100');
    const sentEvent = sentEvents.body.data.find((e) => e.data.message.id === sent.id);
    expect(sentEvent?.data.message.delivery).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sentEvent?.data.conversation.id).toBe(conversationId);
    const channel = await api<{ data: Channel }>(t, 'GET', `/api/v1/channels/${channelId}`);
    expect(channel.body.data.status.state).toBe('connected');

    // The next reply answers the last mail of the thread and carries the chain.
    const second = await reply(conversationId, 'And here is the tracking link: https://track.example/1');
    await t.services.channelWorker.run();
    const [next] = (await smtp.waitFor(before + 2)).slice(before + 1);
    expect(next.parsed.subject).toBe('Re: Where is my order?');
    expect(next.parsed.inReplyTo).toBe(mail.parsed.messageId);
    expect(next.parsed.references).toBe(mail.parsed.messageId);
    expect((await message(conversationId, second.id)).delivery?.status).toBe('sent');
  });

  it('sends the AI reply marked as automatic, never the contact\'s message or a note, and never twice', async () => {
    const conversationId = await emailConversation({ title: 'Re: Opening hours' });
    const before = smtp.received.length;
    const exchange = await api<{ data: { user_message: Message; assistant_message: Message } }>(
      t,
      'POST',
      `/api/v1/conversations/${conversationId}/messages`,
      { content: 'Hello there' },
    );
    expect(exchange.status).toBe(201);
    expect(exchange.body.data.user_message.delivery).toBeNull();
    const note = await reply(conversationId, 'Internal: VIP customer', admin.headers, { role: 'note' });
    expect(note.delivery).toBeNull();
    expect(await t.services.channelWorker.run()).toBe(1);
    expect(await t.services.channelWorker.run()).toBe(0);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(smtp.received.length).toBe(before + 1);
    expect(mail.parsed.from?.value).toEqual([{ name: 'Shop support', address: 'support@shop.example' }]);
    expect(mail.parsed.subject).toBe('Re: Opening hours');
    expect(header(mail, 'auto-submitted')).toBe('auto-replied');
    expect(mail.parsed.text?.trim()).toBe(exchange.body.data.assistant_message.content.trim());
    expect((await message(conversationId, exchange.body.data.assistant_message.id)).delivery?.status).toBe('sent');
    const deliveries = await t.database.db.selectFrom('channel_deliveries').select('message_id').where('conversation_id', '=', conversationId).execute();
    expect(deliveries.map((d) => Number(d.message_id))).toEqual([exchange.body.data.assistant_message.id]);
  });

  it('sends a streamed AI reply once it is complete', async () => {
    const conversationId = await emailConversation({ title: 'Streaming' });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ content: 'Hello there', stream: true }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('event: stream.end');
    const before = smtp.received.length;
    expect(await t.services.channelWorker.run()).toBe(1);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.parsed.subject).toBe('Re: Streaming');
    expect(header(mail, 'auto-submitted')).toBe('auto-replied');
  });

  it('sends files an operator attached as MIME attachments', async () => {
    const conversationId = await emailConversation({ title: 'Invoice' });
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const file = await t.services.attachments.saveFile({
      accountId: t.workspace.accountId,
      conversationId,
      filename: 'invoice.pdf',
      bytes: pdf,
      uploadedBy: `member:${admin.member.id}`,
    });
    const sent = await reply(conversationId, 'Your invoice is attached.', admin.headers, { attachment_ids: [file.id] });
    const before = smtp.received.length;
    await t.services.channelWorker.run();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, bytes: a.content.toString('base64') }))).toEqual([
      { filename: 'invoice.pdf', contentType: 'application/pdf', bytes: pdf.toString('base64') },
    ]);
    expect((await message(conversationId, sent.id)).delivery?.status).toBe('sent');

    // A file the store has lost will not come back: the reply fails at once.
    const lost = await t.services.attachments.saveFile({
      accountId: t.workspace.accountId,
      conversationId,
      filename: 'lost.pdf',
      bytes: pdf,
      uploadedBy: `member:${admin.member.id}`,
    });
    const orphan = await reply(conversationId, 'Here is another one.', admin.headers, { attachment_ids: [lost.id] });
    await t.services.attachments.removeStored([lost.storage_key]);
    await t.services.channelWorker.run();
    expect((await message(conversationId, orphan.id)).delivery).toMatchObject({ status: 'failed', error: 'the attachment lost.pdf is missing', attempts: 1 });
    expect(smtp.received.length).toBe(before + 1);
  });

  it('fails at once, without retrying, when the contact has no address or the server refuses the recipient', async () => {
    const nobody = await emailConversation({ email: null });
    const first = await reply(nobody, 'Hello?');
    smtp.refuse.add('gone@example.com');
    const refused = await emailConversation({ email: 'gone@example.com' });
    const second = await reply(refused, 'Hello?');
    // Never to the channel's own address: that would be a loop.
    const itself = await emailConversation({ email: 'Support@shop.example' });
    const third = await reply(itself, 'Hello?');
    const before = smtp.received.length;
    await t.services.channelWorker.run();
    expect(smtp.received.length).toBe(before);
    expect(await message(itself, third.id)).toMatchObject({ delivery: { status: 'failed', error: 'the contact has no email address' } });
    expect(await message(nobody, first.id)).toMatchObject({ delivery: { status: 'failed', error: 'the contact has no email address', attempts: 1 } });
    const bounced = await message(refused, second.id);
    expect(bounced.delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(bounced.delivery?.error).toMatch(/550/);
    const failed = await api<{ data: Array<{ type: string; data: { message: Message; conversation: { id: string } } }> }>(
      t,
      'GET',
      '/api/v1/events?type=message.delivery_failed&limit=100',
    );
    expect(failed.body.data.map((e) => e.data.message.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    // A refused recipient says nothing about the channel: it still works.
    expect((await api<{ data: Channel }>(t, 'GET', `/api/v1/channels/${channelId}`)).body.data.status.state).toBe('connected');
  });

  it('retries while the SMTP server is down, then fails the reply and shows the channel failing, until it works again', async () => {
    const down = await closedPort();
    const res = await api<{ data: Channel }>(t, 'POST', '/api/v1/channels', { name: 'Down', type: 'email', config: smtpConfig(down, SMTP_PASSWORD) });
    const downId = res.body.data.id;
    const conversationId = await emailConversation({ channel: downId, title: 'Outage' });
    const sent = await reply(conversationId, 'Are you there?');

    let clock = Date.now();
    expect(await t.services.channelWorker.run(new Date(clock))).toBe(1);
    let shown = await message(conversationId, sent.id);
    expect(shown.delivery).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });
    expect(shown.delivery?.error).toMatch(/ECONNREFUSED/);
    // Not due yet: nothing is attempted before the backoff has passed.
    expect(await t.services.channelWorker.run(new Date(clock + 1000))).toBe(0);
    let channel = (await api<{ data: Channel }>(t, 'GET', `/api/v1/channels/${downId}`)).body.data;
    expect(channel.status).toMatchObject({ state: 'failing' });
    expect(channel.status.last_error).toMatch(/ECONNREFUSED/);
    expect(channel.status.last_error).not.toContain(SMTP_PASSWORD);

    const due = await t.database.db.selectFrom('channel_deliveries').select('next_attempt_at').where('message_id', '=', sent.id).executeTakeFirstOrThrow();
    // About the base (30 s by default), with jitter: between half of it and all of it.
    const wait = Date.parse(due.next_attempt_at!) - clock;
    expect(wait).toBeGreaterThanOrEqual(15_000 - 50);
    expect(wait).toBeLessThanOrEqual(30_000 + 1000);

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      clock += DAY;
      expect(await t.services.channelWorker.run(new Date(clock))).toBe(1);
    }
    shown = await message(conversationId, sent.id);
    expect(shown.delivery).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, sent_at: null });
    clock += DAY;
    expect(await t.services.channelWorker.run(new Date(clock))).toBe(0);

    const failed = await api<{ data: Array<{ type: string; data: { message: Message; conversation: { id: string } } }> }>(
      t,
      'GET',
      '/api/v1/events?type=message.delivery_failed&limit=100',
    );
    const event = failed.body.data.find((e) => e.data.message.id === sent.id);
    expect(event?.data.conversation.id).toBe(conversationId);
    expect(event?.data.message.delivery).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });

    // Fixed (the password left out is kept: the same host and user), the next reply goes out.
    const fixed = await api<{ data: Channel }>(t, 'PATCH', `/api/v1/channels/${downId}`, { config: smtpConfig(smtp.port) });
    expect(fixed.status).toBe(200);
    const before = smtp.received.length;
    const again = await reply(conversationId, 'Back now.');
    await t.services.channelWorker.run();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.auth).toEqual({ username: 'mailer', password: SMTP_PASSWORD });
    expect((await message(conversationId, again.id)).delivery?.status).toBe('sent');
    channel = (await api<{ data: Channel }>(t, 'GET', `/api/v1/channels/${downId}`)).body.data;
    expect(channel.status.state).toBe('connected');
    // The last error stays for admins, with its time.
    expect(channel.status.last_error).toMatch(/ECONNREFUSED/);
    expect(channel.status.last_error_at).not.toBeNull();
  });

  it('answers a received mail in its thread: to its sender, Re: its subject, In-Reply-To its Message-ID', async () => {
    const channel = await t.database.db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirstOrThrow();
    const raw = Buffer.from(
      [
        'From: "Dora Diaz" <dora@example.com>',
        'To: support@shop.example',
        'Subject: Opening hours?',
        'Message-ID: <first-question@example.com>',
        'Date: Mon, 7 Dec 2026 09:00:00 +0000',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hello, when are you open?',
        '',
      ].join('\r\n'),
    );
    const received = await t.services.emailInbound.receiveRaw(channel, raw, 'forward');
    expect(received.status).toBe('imported');
    const before = smtp.received.length;
    // The agent's reply is written by the async replies worker, then queued for the channel and sent.
    expect(await t.services.replies.processPending()).toBe(1);
    expect(await t.services.channelWorker.run()).toBe(1);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.to).toEqual(['dora@example.com']);
    expect(mail.parsed.subject).toBe('Re: Opening hours?');
    expect(mail.parsed.inReplyTo).toBe('<first-question@example.com>');
    expect(mail.parsed.references).toBe('<first-question@example.com>');
    expect(header(mail, 'auto-submitted')).toBe('auto-replied');
    const thread = await t.database.db.selectFrom('email_threads').selectAll().where('conversation_id', '=', received.conversation_id!).executeTakeFirstOrThrow();
    expect(mail.parsed.replyTo?.value[0].address).toBe(`support+${thread.token}@shop.example`);
  });

  it('fails a sent message when it bounces (failDelivery), once', async () => {
    const conversationId = await emailConversation();
    const sent = await reply(conversationId, 'Hello!');
    await t.services.channelWorker.run();
    expect((await message(conversationId, sent.id)).delivery?.status).toBe('sent');
    expect(await t.services.channelOutbox.failDelivery(t.workspace.accountId, sent.id, 'the mail bounced: mailbox full')).toBe(true);
    expect(await t.services.channelOutbox.failDelivery(t.workspace.accountId, sent.id, 'again')).toBe(false);
    const shown = await message(conversationId, sent.id);
    expect(shown.delivery).toMatchObject({ status: 'failed', error: 'the mail bounced: mailbox full', attempts: 1 });
    expect(shown.delivery?.sent_at).not.toBeNull();
    const failed = await api<{ data: Array<{ data: { message: Message } }> }>(t, 'GET', '/api/v1/events?type=message.delivery_failed&limit=100');
    expect(failed.body.data.filter((e) => e.data.message.id === sent.id)).toHaveLength(1);
  });
});
