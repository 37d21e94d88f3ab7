import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

    let commit!: () => void;
    const gate = new Promise<void>((r) => (commit = r));
    let deleted!: () => void;
    const deleting = new Promise<void>((r) => (deleted = r));
    const deletion = t.database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('conversations').where('account_id', '=', t.workspace.accountId).where('id', '=', id).execute();
      deleted();
      await gate;
    });
    await deleting;
    const tagging = api(t, 'POST', `/api/v1/conversations/${id}/tags`, { tag: 'vip' });
    await sleep(300);
    commit();
    await deletion;
    const res = await tagging;
    expect(res.status).toBe(404);
    const tags = await t.database.db.selectFrom('conversation_tags').select('tag').where('conversation_id', '=', id).execute();
    expect(tags).toEqual([]);
  });
});
