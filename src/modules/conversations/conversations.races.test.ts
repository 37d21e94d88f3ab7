import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, holdTransaction, sleep, type TestApp } from '../../../test/helpers.js';
import { createMember, login, type TestSession } from '../../../test/auth.js';
import { api, errorOf } from '../../../test/http.js';

/**
 * A change to a conversation racing its deletion (PostgreSQL: SQLite serialises writers, so the
 * race cannot happen there). Found by the fuzz suite: a tag added while the contact — and so the
 * conversation — was being deleted failed its foreign key and answered 500.
 */
describe.each(DIALECTS.filter((d) => d === 'postgres'))('a conversation change racing its deletion on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('waits for the deleting transaction, then answers 404 and writes nothing', async () => {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'race@example.com' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    const id = conv.body.data.id;

    const deletion = await holdTransaction(t.database, (trx) =>
      trx.deleteFrom('conversations').where('account_id', '=', t.workspace.accountId).where('id', '=', id).execute(),
    );
    const tagging = api(t, 'POST', `/api/v1/conversations/${id}/tags`, { tag: 'vip' });
    await sleep(300);
    await deletion.commit();
    const res = await tagging;
    expect(res.status).toBe(404);
    const tags = await t.database.db.selectFrom('conversation_tags').select('tag').where('conversation_id', '=', id).execute();
    expect(tags).toEqual([]);
  });

  it('answers 404 to feedback on a message whose conversation is deleted meanwhile, and announces nothing', async () => {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'feedback-race@example.com' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    const id = conv.body.data.id;
    const sent = await api<{ data: { assistant_message: { id: number } } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello?' });
    const replyId = sent.body.data.assistant_message.id;

    const deletion = await holdTransaction(t.database, (trx) => trx.deleteFrom('conversations').where('id', '=', id).execute());
    const rating = api(t, 'POST', `/api/v1/conversations/${id}/messages/${replyId}/feedback`, { rating: 'like' });
    await sleep(300);
    await deletion.commit();
    expect((await rating).status).toBe(404);
    const announced = await t.database.db.selectFrom('events').select('id').where('type', '=', 'message.feedback').execute();
    expect(announced).toEqual([]);
  });

  it('keeps unread a message that commits while a member opens the conversation', async () => {
    const admin = await login(t);
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'unread-race@example.com' });
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    const id = conv.body.data.id;
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' }, admin.headers)).status).toBe(200);
    for (const text of ['one', 'two']) await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { content: text });

    // A third message's count, written but not yet committed while the member opens the conversation.
    const arriving = await holdTransaction(t.database, (trx) =>
      trx
        .updateTable('conversations')
        .set((eb) => ({ unread_count: eb('unread_count', '+', 1) }))
        .where('id', '=', id)
        .execute(),
    );
    const opening = api<{ data: { unread_count: number } }>(t, 'GET', `/api/v1/conversations/${id}`, undefined, admin.headers);
    await sleep(300);
    await arriving.commit();
    const opened = await opening;
    expect(opened.body.data.unread_count).toBe(0);
    const after = await api<{ data: { unread_count: number } }>(t, 'GET', `/api/v1/conversations/${id}`);
    expect(after.body.data.unread_count).toBe(1);
  });
});

/**
 * A new conversation racing its contact's deletion, on both databases: each create either lands
 * before the deletion (and goes with the contact) or is refused as seed 000 says, 422 for a
 * contact_id that names no contact, never the generic 409 of a foreign key that failed.
 */
describe.each(DIALECTS)('a new conversation racing its contact’s deletion on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => t.close());

  it('answers 201 or 422 and leaves no conversation of the deleted contact', async () => {
    for (let round = 0; round < 6; round++) {
      const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: `doomed-${round}@example.com` });
      const contactId = contact.body.data.id;
      const create = () => api(t, 'POST', '/api/v1/conversations', { contact_id: contactId });
      const results = await Promise.all([
        create(),
        create(),
        sleep(round).then(() => api(t, 'DELETE', `/api/v1/contacts/${contactId}`, undefined, admin.headers)),
        create(),
        create(),
      ]);
      expect(results[2].status).toBe(204);
      for (const r of results.filter((_, i) => i !== 2)) {
        expect([201, 422]).toContain(r.status);
        if (r.status === 422) expect(errorOf(r).details).toEqual({ contact_id: ['does not exist in this account'] });
      }
      const left = await t.database.db.selectFrom('conversations').select('id').where('contact_id', '=', contactId).execute();
      expect(left).toEqual([]);
    }
  });
});

/**
 * A conversation pointed at a member, a state or a channel while that is deleted, on both
 * databases. These columns have no foreign key: the writer reads the row it points at FOR KEY
 * SHARE in its transaction, and the deleter removes the row before clearing what points at it, so
 * either the pointer is cleared or the write is refused (422). None is ever left pointing at nothing.
 */
describe.each(DIALECTS)('a conversation pointed at a member, state or channel being deleted on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let contactId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'pointed@example.com' })).body.data.id;
  });
  afterAll(async () => t.close());

  const newConversation = async () =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;
  const pointingAt = (column: 'assignee_id' | 'state_id' | 'channel_id', value: string) =>
    t.database.db.selectFrom('conversations').select('id').where(column, '=', value).execute();

  it('never leaves an assignee that was removed', async () => {
    for (let round = 0; round < 6; round++) {
      const { member } = await createMember(t, { admin });
      const ids = await Promise.all([newConversation(), newConversation(), newConversation()]);
      const results = await Promise.all([
        ...ids.map((id) => api(t, 'POST', `/api/v1/conversations/${id}/assign`, { member_id: member.id }, admin.headers)),
        sleep(round).then(() => api(t, 'DELETE', `/api/v1/members/${member.id}`, undefined, admin.headers)),
      ]);
      expect(results.at(-1)!.status).toBe(204);
      for (const r of results.slice(0, -1)) expect([200, 422]).toContain(r.status);
      expect(await pointingAt('assignee_id', member.id)).toEqual([]);
    }
  });

  it('never leaves a state that was deleted', async () => {
    for (let round = 0; round < 6; round++) {
      const state = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversation_states', { name: `Waiting ${round}` }, admin.headers);
      const stateId = state.body.data.id;
      const ids = await Promise.all([newConversation(), newConversation(), newConversation()]);
      const results = await Promise.all([
        ...ids.map((id) => api(t, 'PATCH', `/api/v1/conversations/${id}`, { state_id: stateId }, admin.headers)),
        sleep(round).then(() => api(t, 'DELETE', `/api/v1/conversation_states/${stateId}`, undefined, admin.headers)),
      ]);
      expect(results.at(-1)!.status).toBe(204);
      for (const r of results.slice(0, -1)) expect([200, 422]).toContain(r.status);
      expect(await pointingAt('state_id', stateId)).toEqual([]);
    }
  });

  it('never creates a conversation on a channel that was deleted', async () => {
    for (let round = 0; round < 6; round++) {
      const channel = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: `Chat ${round}`, type: 'web_widget' }, admin.headers);
      const channelId = channel.body.data.id;
      const results = await Promise.all([
        api(t, 'POST', '/api/v1/conversations', { contact_id: contactId, channel_id: channelId }),
        api(t, 'POST', '/api/v1/conversations', { contact_id: contactId, channel_id: channelId }),
        sleep(round).then(() => api(t, 'DELETE', `/api/v1/channels/${channelId}`, undefined, admin.headers)),
        api(t, 'POST', '/api/v1/conversations', { contact_id: contactId, channel_id: channelId }),
      ]);
      expect(results[2].status).toBe(204);
      for (const r of results.filter((_, i) => i !== 2)) {
        expect([201, 422]).toContain(r.status);
        if (r.status === 422) expect(errorOf(r).details).toEqual({ channel_id: ['does not exist in this account'] });
      }
      expect(await pointingAt('channel_id', channelId)).toEqual([]);
    }
  });
});
