import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';

describe.each(DIALECTS)("a contact's conversations on %s", (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  const newContact = async (email: string) => (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email })).body.data.id;
  const newConversation = async (contactId: number) =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).body.data.id;

  it('lists only that contact’s conversations, most recently active first, in pages', async () => {
    const id = await newContact('many@example.com');
    const first = await newConversation(id);
    const second = await newConversation(id);
    await newConversation(await newContact('someone-else@example.com'));
    await api(t, 'POST', `/api/v1/conversations/${first}/end`, {});

    const res = await api<{ data: Array<{ id: string; contact_id: number }> }>(t, 'GET', `/api/v1/contacts/${id}/conversations`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((c) => c.id)).toEqual([first, second]);

    const page = await api<{ data: Array<{ id: string }>; pagination: { cursor: string; has_more: boolean } }>(
      t, 'GET', `/api/v1/contacts/${id}/conversations?limit=1`,
    );
    expect(page.body.pagination.has_more).toBe(true);
    const next = await api<{ data: Array<{ id: string }> }>(t, 'GET', `/api/v1/contacts/${id}/conversations?limit=1&cursor=${page.body.pagination.cursor}`);
    expect(next.body.data.map((c) => c.id)).toEqual([second]);
  });

  it("answers 404 for an unknown contact or another account's, and 400 for a bad id", async () => {
    expect((await api(t, 'GET', '/api/v1/contacts/999999/conversations')).status).toBe(404);
    const other = await t.otherWorkspace();
    const theirs = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'theirs@example.com' }, other.auth);
    expect((await api(t, 'GET', `/api/v1/contacts/${theirs.body.data.id}/conversations`)).status).toBe(404);
    expect((await api(t, 'GET', '/api/v1/contacts/abc/conversations')).status).toBe(400);
  });
});
