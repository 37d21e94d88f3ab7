import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface State {
  id: string;
  name: string;
  description: string;
  color: string;
  persistent: boolean;
  created_at: string;
  updated_at: string;
}
type One = { data: State };
type Many = { data: State[]; pagination: { cursor: string | null; has_more: boolean } };

const URL = '/api/v1/conversation_states';

async function newConversation(t: TestApp): Promise<string> {
  const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
  const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
  expect(conv.status).toBe(201);
  return conv.body.data.id;
}

async function stateOf(t: TestApp, conversationId: string): Promise<string | null> {
  const row = await t.database.db
    .selectFrom('conversations')
    .select('state_id')
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
  return row.state_id;
}

describe.each(DIALECTS)('conversation states on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('creates a state with 201 in the shape of seed 003, color stored lower-case', async () => {
    const res = await api<One>(t, 'POST', URL, {
      name: 'Waiting on customer',
      description: 'We asked a question',
      color: '#FFAA00',
      persistent: true,
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(
      ['color', 'created_at', 'description', 'id', 'name', 'persistent', 'updated_at'].sort(),
    );
    expect(res.body.data).toMatchObject({
      name: 'Waiting on customer',
      description: 'We asked a question',
      color: '#ffaa00',
      persistent: true,
    });
    const got = await api<One>(t, 'GET', `${URL}/${res.body.data.id}`);
    expect(got.body.data).toEqual(res.body.data);
  });

  it('fills description, color and persistent with defaults when left out', async () => {
    const res = await api<One>(t, 'POST', URL, { name: 'Triage' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Triage', description: '', persistent: false });
    expect(res.body.data.color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('answers 409 for a name already used in the account, on create and on rename', async () => {
    const first = await api<One>(t, 'POST', URL, { name: 'Escalated', color: '#ff0000' });
    const again = await api(t, 'POST', URL, { name: ' Escalated ', color: '#00ff00' });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('CONFLICT');
    expect(errorOf(again).details).toHaveProperty('name');

    const second = await api<One>(t, 'POST', URL, { name: 'Pending' });
    const rename = await api(t, 'PATCH', `${URL}/${second.body.data.id}`, { name: 'Escalated', color: '#123456' });
    expect(rename.status).toBe(409);
    expect((await api<One>(t, 'GET', `${URL}/${second.body.data.id}`)).body.data).toEqual(second.body.data);

    const other = await t.otherWorkspace();
    const elsewhere = await api<One>(t, 'POST', URL, { name: 'Escalated' }, other.auth);
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.data.id).not.toBe(first.body.data.id);
  });

  it('rejects bad input with 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: '  ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'x', color: 'red' }, 'color'],
      [{ name: 'x', color: '#fff' }, 'color'],
      [{ name: 'x', color: '#gggggg' }, 'color'],
      [{ name: 'x', color: '#ffffff ' }, 'color'],
      [{ name: 'x', persistent: 'true' }, 'persistent'],
      [{ name: 'x', description: 5 }, 'description'],
      [{ name: 'x', description: 'd'.repeat(1001) }, 'description'],
      [{ name: 'x', mood: 'calm' }, 'mood'],
    ];
    for (const [body, field] of cases) {
      const res = await api(t, 'POST', URL, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      expect(errorOf(res).details, JSON.stringify(body)).toHaveProperty(field);
    }
    const s = await api<One>(t, 'POST', URL, { name: 'Valid' });
    const bad = await api(t, 'PATCH', `${URL}/${s.body.data.id}`, { color: '#12345' });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).details).toHaveProperty('color');
    expect((await api(t, 'GET', `${URL}/123`)).status).toBe(400);
  });

  it('updates fields with PATCH, moving updated_at only when something changed', async () => {
    const s = await api<One>(t, 'POST', URL, { name: 'Open', color: '#00aa00' });
    await new Promise((r) => setTimeout(r, 3));
    const same = await api<One>(t, 'PATCH', `${URL}/${s.body.data.id}`, { name: 'Open', color: '#00AA00' });
    expect(same.body.data).toEqual(s.body.data);
    const res = await api<One>(t, 'PATCH', `${URL}/${s.body.data.id}`, {
      name: 'Reopened',
      description: 'Came back',
      persistent: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Reopened', description: 'Came back', color: '#00aa00', persistent: true });
    expect(res.body.data.updated_at > s.body.data.updated_at).toBe(true);
    expect((await api<One>(t, 'GET', `${URL}/${s.body.data.id}`)).body.data).toEqual(res.body.data);
  });

  it('lists the account’s states oldest first, page by page', async () => {
    const other = await t.otherWorkspace();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await api(t, 'POST', URL, { name }, other.auth);
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Many } = await api<Many>(t, 'GET', `${URL}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, other.auth);
      names.push(...page.body.data.map((s) => s.name));
      cursor = page.body.pagination.cursor;
    } while (cursor);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it("answers 404 for another account's state on every route", async () => {
    const s = await api<One>(t, 'POST', URL, { name: 'Private' });
    const other = await t.otherWorkspace();
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'x' }], ['DELETE', undefined]] as const) {
      const res = await api(t, method, `${URL}/${s.body.data.id}`, body, other.auth);
      expect(res.status, method).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect((await api<Many>(t, 'GET', URL, undefined, other.auth)).body.data).toEqual([]);
    expect((await api<One>(t, 'GET', `${URL}/${s.body.data.id}`)).body.data.name).toBe('Private');
  });

  it('deletes with 204, clearing the state from its conversations only', async () => {
    const doomed = await api<One>(t, 'POST', URL, { name: 'Doomed' });
    const kept = await api<One>(t, 'POST', URL, { name: 'Kept' });
    const [a, b] = [await newConversation(t), await newConversation(t)];
    await t.database.db.updateTable('conversations').set({ state_id: doomed.body.data.id }).where('id', '=', a).execute();
    await t.database.db.updateTable('conversations').set({ state_id: kept.body.data.id }).where('id', '=', b).execute();
    const res = await api(t, 'DELETE', `${URL}/${doomed.body.data.id}`);
    expect(res.status).toBe(204);
    expect(await stateOf(t, a)).toBeNull();
    expect(await stateOf(t, b)).toBe(kept.body.data.id);
    expect((await api(t, 'GET', `${URL}/${doomed.body.data.id}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `${URL}/${doomed.body.data.id}`)).status).toBe(404);
    // The name is free again.
    expect((await api(t, 'POST', URL, { name: 'Doomed' })).status).toBe(201);
  });

  it('lets agent-role members read states but answers 403 to their changes; admins may change them', async () => {
    const admin = await login(t);
    const agent = await loginAsAgentMember(t, admin);
    const created = await api<One>(t, 'POST', URL, { name: 'Admin made' }, admin.headers);
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect((await api<One>(t, 'GET', `${URL}/${id}`, undefined, agent.headers)).body.data.name).toBe('Admin made');
    const attempts = [
      ['POST', URL, { name: 'x' }],
      ['PATCH', `${URL}/${id}`, { name: 'x' }],
      ['DELETE', `${URL}/${id}`, undefined],
    ] as const;
    for (const [method, url, body] of attempts) {
      const res = await api(t, method, url, body, agent.headers);
      expect(res.status, method).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
    expect((await api<One>(t, 'GET', `${URL}/${id}`)).body.data).toEqual(created.body.data);
    const renamed = await api<One>(t, 'PATCH', `${URL}/${id}`, { color: '#000000' }, admin.headers);
    expect(renamed.body.data.color).toBe('#000000');
    expect((await api(t, 'DELETE', `${URL}/${id}`, undefined, admin.headers)).status).toBe(204);
  });
});
