import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, openSecondHandle, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { startSmtpServer, type TestSmtpServer } from '../../../test/support/smtp.js';
import { createServices, type Services } from '../../services.js';
import type { Database } from '../../shared/db/database.js';
import { ConfigError, parseChannelConfig } from '../../shared/config/config.js';

interface Message {
  id: number;
  role: string;
  content: string;
  author: { type: string } | null;
  delivery: { status: string; attempts: number } | null;
}

describe('PARLEY_CHANNEL_RETRY_BASE_MS', () => {
  it('is 30 s by default, and anything but milliseconds from 1 to a day stops start-up with one clear line', () => {
    expect(parseChannelConfig({})).toEqual({ channelRetryBaseMs: 30_000 });
    expect(parseChannelConfig({ PARLEY_CHANNEL_RETRY_BASE_MS: ' 250 ' })).toEqual({ channelRetryBaseMs: 250 });
    for (const bad of ['soon', '0', '-5', '1.5', '86400001']) {
      expect(() => parseChannelConfig({ PARLEY_CHANNEL_RETRY_BASE_MS: bad })).toThrow(ConfigError);
    }
    expect(() => parseChannelConfig({ PARLEY_CHANNEL_RETRY_BASE_MS: 'soon' })).toThrow(
      'PARLEY_CHANNEL_RETRY_BASE_MS must be a whole number of milliseconds from 1 to 86400000 (got "soon")',
    );
  });
});

/**
 * The channel outbox as a whole: every path that writes a reply queues it, and each queued reply
 * leaves exactly once — across a worker that crashed holding it, and across processes.
 */
describe.each(DIALECTS)('channel deliveries on %s', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: TestSession;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    smtp = await startSmtpServer();
    admin = await login(t);
    const config = { address: 'help@shop.example', smtp: { host: '127.0.0.1', port: smtp.port, secure: false } };
    channelId = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Mail', type: 'email', config })).body.data.id;
  });
  afterAll(async () => {
    await t.services.channelRegistry.close();
    await smtp.stop();
    await t.close();
  });

  async function emailConversation(channel = channelId): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: `c-${Math.random().toString(36).slice(2, 10)}@example.com` });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id, channel_id: channel });
    return conv.body.data.id;
  }
  const messagesOf = async (conversationId: string) =>
    (await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=100`, undefined, admin.headers)).body.data;
  const mailsWith = (text: string) => smtp.received.filter((m) => (m.parsed.text ?? '').includes(text));

  it("queues a handoff's word to the customer and an automation's message, never the handoff's note", async () => {
    const rule = await api(t, 'POST', '/api/v1/automations', {
      name: 'Acknowledge mail',
      event: 'conversation.handoff',
      conditions: [{ field: 'conversation.channel_type', operator: 'equals', value: 'email' }],
      actions: [{ type: 'send_message', value: 'A colleague will write to you shortly.' }],
    });
    expect(rule.status, rule.text).toBe(201);
    const conversationId = await emailConversation();
    expect((await api(t, 'POST', `/api/v1/conversations/${conversationId}/handoff`, { reason: 'Billing question' })).status).toBe(200);
    await t.services.automationsConsumer.run();
    const messages = await messagesOf(conversationId);
    const note = messages.find((m) => m.role === 'note');
    const handoff = messages.find((m) => m.role === 'assistant');
    const automatic = messages.find((m) => m.role === 'operator');
    expect(note?.delivery).toBeNull();
    expect(handoff?.delivery).toMatchObject({ status: 'queued' });
    expect(automatic).toMatchObject({ content: 'A colleague will write to you shortly.', delivery: { status: 'queued' } });

    expect(await t.services.channelWorker.run()).toBe(2);
    expect(mailsWith('A colleague will write to you shortly.')).toHaveLength(1);
    expect(mailsWith(handoff!.content.split('\n')[0])).toHaveLength(1);
    // Neither was written by a person: both say so (RFC 3834).
    for (const mail of [...mailsWith('A colleague'), ...mailsWith(handoff!.content.split('\n')[0])]) {
      expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    }
    expect((await messagesOf(conversationId)).filter((m) => m.delivery?.status === 'sent')).toHaveLength(2);
  });

  it('lets a rule answer a failed delivery, without the answer failing in turn re-triggering it', async () => {
    const rule = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/automations', {
      name: 'Tell the customer another way',
      event: 'message.delivery_failed',
      conditions: [],
      actions: [{ type: 'send_message', value: 'We could not reach you by email.' }],
    });
    expect(rule.status, rule.text).toBe(201);
    // A contact without an address: every reply fails at once.
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name: 'No Mail' });
    const conversationId = (
      await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id, channel_id: channelId })
    ).body.data.id;
    await api(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { role: 'operator', content: 'Hello' });
    for (let round = 0; round < 3; round++) {
      await t.services.channelWorker.run();
      await t.services.automationsConsumer.run();
    }
    const replies = (await messagesOf(conversationId)).filter((m) => m.role === 'operator');
    expect(replies.map((m) => [m.content, m.delivery?.status])).toEqual([
      ['Hello', 'failed'],
      ['We could not reach you by email.', 'failed'],
    ]);
    await api(t, 'DELETE', `/api/v1/automations/${rule.body.data.id}`);
  });

  it('queues nothing in a channel that cannot send, or one switched off', async () => {
    const apiChannel = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Backend', type: 'api' })).body.data.id;
    const off = (
      await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', {
        name: 'Old mail',
        type: 'email',
        active: false,
        config: { address: 'old@shop.example', smtp: { host: '127.0.0.1', port: smtp.port, secure: false } },
      })
    ).body.data.id;
    for (const channel of [apiChannel, off]) {
      const conversationId = await emailConversation(channel);
      const res = await api<{ data: Message }>(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { role: 'operator', content: 'Hi' });
      expect(res.body.data.delivery).toBeNull();
    }
  });

  it('sends a delivery left "sending" by a crashed worker once its lease has run out, after a restart', async () => {
    const conversationId = await emailConversation();
    const text = `Crash test ${Math.random()}`;
    await api(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { role: 'operator', content: text });
    // The crashed worker: it claimed the delivery for two minutes and never finished.
    const now = Date.now();
    const claimed = await t.services.repos.channelDeliveries.claimDue(new Date(now).toISOString(), new Date(now + 120_000).toISOString(), 10);
    expect(claimed).toHaveLength(1);
    expect(claimed[0].status).toBe('sending');

    // Another process starts over the same storage.
    const second = openSecondHandle(dialect, t.location);
    const restarted = createServices({ database: second, config: { llm: null } });
    try {
      expect(await restarted.channelWorker.run(new Date(now + 60_000))).toBe(0);
      expect(mailsWith(text)).toHaveLength(0);
      expect(await restarted.channelWorker.run(new Date(now + 121_000))).toBe(1);
      expect(mailsWith(text)).toHaveLength(1);
      const delivery = await t.database.db.selectFrom('channel_deliveries').selectAll().where('id', '=', claimed[0].id).executeTakeFirstOrThrow();
      // The crashed claim counted as an attempt.
      expect(delivery).toMatchObject({ status: 'sent', attempts: 2, locked_until: null });
      const [message] = (await messagesOf(conversationId)).filter((m) => m.content === text);
      expect(message.delivery).toMatchObject({ status: 'sent', attempts: 2 });
      // The crashed worker, had it come back, could not overwrite the outcome: its claim is fenced.
      expect(await t.services.repos.channelDeliveries.finish(claimed[0], { status: 'failed', last_error: 'late', next_attempt_at: null, updated_at: new Date().toISOString() })).toBe(false);
    } finally {
      await restarted.channelRegistry.close();
      await second.close();
    }
  });

  it('sends a mail again after a crash under the Message-ID of the first, so the customer sees one', async () => {
    const conversationId = await emailConversation();
    const text = `Sent twice ${Math.random()}`;
    const posted = await api<{ data: Message }>(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { role: 'operator', content: text });
    await t.services.channelWorker.run();
    expect(mailsWith(text)).toHaveLength(1);
    // A worker that crashed after the server took the mail, before anything of it was written.
    const past = new Date(Date.now() - 1000).toISOString();
    await t.database.db.updateTable('channel_deliveries').set({ status: 'sending', locked_until: past, sent_at: null }).where('message_id', '=', posted.body.data.id).execute();
    await t.database.db.deleteFrom('email_messages').where('message_id', '=', posted.body.data.id).execute();
    await t.services.channelWorker.run();
    const [first, again] = mailsWith(text);
    expect(again).toBeDefined();
    expect(again.parsed.messageId).toBe(first.parsed.messageId);
    // Not a reply to itself.
    expect(again.parsed.inReplyTo).not.toBe(first.parsed.messageId);
    const rows = await t.database.db.selectFrom('email_messages').select('message_id_header').where('message_id', '=', posted.body.data.id).execute();
    expect(rows.map((r) => `<${r.message_id_header}>`)).toEqual([first.parsed.messageId]);
  });

  it.skipIf(dialect !== 'postgres')('sends each reply once when two processes run their workers at the same time', async () => {
    const handles: Database[] = [openSecondHandle(dialect, t.location), openSecondHandle(dialect, t.location)];
    const instances: Services[] = handles.map((database) => createServices({ database, config: { llm: null } }));
    try {
      const texts: string[] = [];
      const conversations = await Promise.all(Array.from({ length: 5 }, () => emailConversation()));
      for (const [i, conversationId] of conversations.entries()) {
        for (let j = 0; j < 6; j++) {
          const text = `Parallel reply ${i}-${j} ${Math.random()}`;
          texts.push(text);
          await api(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { role: 'operator', content: text });
        }
      }
      // Both processes' workers (and this one's) at once, several rounds, as their tasks would.
      for (let round = 0; round < 3; round++) {
        await Promise.all([...instances.map((s) => s.channelWorker.run()), t.services.channelWorker.run()]);
      }
      for (const text of texts) expect(mailsWith(text), text).toHaveLength(1);
      const rows = await t.database.db
        .selectFrom('channel_deliveries')
        .select(['status', 'attempts'])
        .where('conversation_id', 'in', conversations)
        .execute();
      expect(rows).toHaveLength(texts.length);
      expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    } finally {
      for (const s of instances) await s.channelRegistry.close();
      for (const h of handles) await h.close();
    }
  });
});
