import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import type { ChannelRow } from './channels.repository.js';

/** The one receive use case every channel ends in (email today, other channels later). */
describe.each(DIALECTS)('receiving a message through a channel on %s', (dialect) => {
  let t: TestApp;
  let channel: ChannelRow;
  const eventsOf = async (type: string) =>
    (await t.database.db.selectFrom('events').select(['type', 'source']).where('account_id', '=', t.workspace.accountId).where('type', '=', type).execute()).map((e) => e.source);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const created = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Inbound', type: 'api' });
    channel = (await t.services.repos.channels.findById(t.workspace.accountId, created.body.data.id))!;
  });
  afterAll(async () => t.close());

  it('finds or creates the contact, opens a conversation on the channel and queues the reply', async () => {
    const received = await t.services.channelReceiver.receive({
      channel,
      source: 'email',
      from: { email: 'Ann@Example.com', name: 'Ann Example' },
      target: { open: { title: 'A question', metadata: { via: 'test' } } },
      message: { content: 'Do you ship abroad?', reply: true },
    });
    expect(received.opened).toBe(true);
    expect(received.contact).toMatchObject({ email: 'ann@example.com', name: 'Ann Example' });
    const conversation = await t.services.repos.conversations.findById(t.workspace.accountId, received.conversationId);
    expect(conversation).toMatchObject({ channel_id: channel.id, agent_id: t.workspace.agentId, title: 'A question', contact_id: received.contact.id });
    expect(received.posted.userMessage).toMatchObject({ role: 'user', author_type: 'contact', author_name: 'Ann Example' });
    expect(received.posted.pendingReply?.status).toBe('pending');
    expect(await eventsOf('contact.created')).toEqual(['email']);
    expect(await eventsOf('conversation.created')).toEqual(['email']);
    expect(await eventsOf('message.created')).toEqual(['email']);

    // The same contact again, into the same conversation, not to be answered.
    const again = await t.services.channelReceiver.receive({
      channel,
      source: 'email',
      from: { email: 'ann@example.com', name: 'Someone Else' },
      target: { conversationId: received.conversationId },
      message: { content: 'Thanks, no answer needed.', reply: false },
    });
    expect(again).toMatchObject({ opened: false, conversationId: received.conversationId });
    expect(again.contact).toMatchObject({ id: received.contact.id, name: 'Ann Example' });
    expect(again.posted.pendingReply).toBeUndefined();
    expect(await eventsOf('contact.created')).toHaveLength(1);
  });

  it("stores a message unanswered when the conversation's agent is inactive, never refusing it", async () => {
    const received = await t.services.channelReceiver.receive({
      channel,
      source: 'email',
      from: { email: 'bo@example.com', name: 'Bo' },
      target: { open: { title: 'Resting agent' } },
      message: { content: 'First question', reply: true },
    });
    await t.database.db.updateTable('agents').set({ status: 'inactive' }).where('id', '=', t.workspace.agentId).execute();
    try {
      const again = await t.services.channelReceiver.receive({
        channel,
        source: 'email',
        from: { email: 'bo@example.com', name: 'Bo' },
        target: { conversationId: received.conversationId },
        message: { content: 'Anyone there?', reply: true },
      });
      expect(again.posted.userMessage).toMatchObject({ role: 'user', content: 'Anyone there?' });
      expect(again.posted.pendingReply).toBeUndefined();
    } finally {
      await t.database.db.updateTable('agents').set({ status: 'active' }).where('id', '=', t.workspace.agentId).execute();
    }
  });
});
