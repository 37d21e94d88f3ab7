import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Channel {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  active: boolean;
  created_at: string;
  updated_at: string;
}
type One = { data: Channel };
type Many = { data: Channel[]; pagination: { cursor: string | null; has_more: boolean } };

/** A conversation of the workspace, started through the API. */
async function newConversation(t: TestApp, auth = t.auth): Promise<string> {
  const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {}, auth);
  const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id }, auth);
  expect(conv.status).toBe(201);
  return conv.body.data.id;
}

async function channelOf(t: TestApp, conversationId: string): Promise<string | null> {
  const row = await t.database.db
    .selectFrom('conversations')
    .select('channel_id')
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
  return row.channel_id;
}

describe.each(DIALECTS)('channels on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('creates a channel with 201, active and with an empty config by default', async () => {
    const res = await api<One>(t, 'POST', '/api/v1/channels', { name: 'Backend', type: 'api' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(
      ['active', 'config', 'created_at', 'default_team_id', 'embed_snippet', 'id', 'name', 'public_key', 'status', 'type', 'updated_at'].sort(),
    );
    // Never used yet: no state.
    expect(res.body.data).toMatchObject({ status: { state: null, last_error: null, last_error_at: null, checked_at: null } });
    expect(res.body.data).toMatchObject({ name: 'Backend', type: 'api', config: {}, active: true, public_key: null, embed_snippet: null });
    expect(res.body.data.created_at).toBe(res.body.data.updated_at);
    const got = await api<One>(t, 'GET', `/api/v1/channels/${res.body.data.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(res.body.data);
  });

  it('stores config and an inactive flag as given, and trims the name', async () => {
    // A type without an adapter keeps its config as given.
    const config = { from: '+15550100', provider: { name: 'acme', region: 'eu' } };
    const res = await api<One>(t, 'POST', '/api/v1/channels', { name: '  SMS  ', type: 'sms', config, active: false });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'SMS', type: 'sms', config, active: false });
  });

  it('rejects bad input with 400 naming the field, and creates nothing', async () => {
    const before = await api<Many>(t, 'GET', '/api/v1/channels?limit=100');
    const cases: Array<[unknown, string]> = [
      [{ type: 'api' }, 'name'],
      [{ name: 'x' }, 'type'],
      [{ name: '', type: 'api' }, 'name'],
      [{ name: '   ', type: 'api' }, 'name'],
      [{ name: 'x'.repeat(201), type: 'api' }, 'name'],
      [{ name: 'x', type: 'telegram' }, 'type'],
      [{ name: 'x', type: 'api', config: [1] }, 'config'],
      [{ name: 'x', type: 'api', config: 'x' }, 'config'],
      [{ name: 'x', type: 'api', active: 'yes' }, 'active'],
      [{ name: 'x', type: 'api', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const res = await api(t, 'POST', '/api/v1/channels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      expect(errorOf(res).details, JSON.stringify(body)).toHaveProperty(field);
    }
    expect((await api(t, 'GET', '/api/v1/channels/not-a-uuid')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/channels?type=fax')).status).toBe(400);
    const after = await api<Many>(t, 'GET', '/api/v1/channels?limit=100');
    expect(after.body.data).toEqual(before.body.data);
  });

  it('refuses a config over 16 KiB or nested deeper than 8 levels with 422', async () => {
    const big = await api(t, 'POST', '/api/v1/channels', { name: 'big', type: 'api', config: { blob: 'x'.repeat(17_000) } });
    expect(big.status).toBe(422);
    expect(errorOf(big).details).toHaveProperty('config');
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 9; i++) deep = { nested: deep };
    const c = await api<One>(t, 'POST', '/api/v1/channels', { name: 'shallow', type: 'api', config: { keep: true } });
    const tooDeep = await api(t, 'PATCH', `/api/v1/channels/${c.body.data.id}`, { config: deep });
    expect(tooDeep.status).toBe(422);
    expect((await api<One>(t, 'GET', `/api/v1/channels/${c.body.data.id}`)).body.data.config).toEqual({ keep: true });
  });

  it('updates name, type, active and replaces config whole with PATCH, moving updated_at', async () => {
    const c = await api<One>(t, 'POST', '/api/v1/channels', { name: 'SMS', type: 'sms', config: { a: 1, b: 2 } });
    await new Promise((r) => setTimeout(r, 3));
    const res = await api<One>(t, 'PATCH', `/api/v1/channels/${c.body.data.id}`, {
      name: 'WhatsApp',
      type: 'whatsapp',
      config: { b: 3 },
      active: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'WhatsApp', type: 'whatsapp', config: { b: 3 }, active: false });
    expect(res.body.data.created_at).toBe(c.body.data.created_at);
    expect(res.body.data.updated_at > c.body.data.updated_at).toBe(true);
    expect((await api<One>(t, 'GET', `/api/v1/channels/${c.body.data.id}`)).body.data).toEqual(res.body.data);

    const same = await api<One>(t, 'PATCH', `/api/v1/channels/${c.body.data.id}`, { name: 'WhatsApp', active: false });
    expect(same.body.data).toEqual(res.body.data);
    expect((await api(t, 'PATCH', `/api/v1/channels/${c.body.data.id}`, { type: 'fax' })).status).toBe(400);
  });

  it('filters by type and active and pages oldest first with an opaque cursor', async () => {
    const other = await t.otherWorkspace();
    for (let i = 0; i < 5; i++) {
      await api(t, 'POST', '/api/v1/channels', { name: `voice ${i}`, type: 'voice', active: i % 2 === 0 }, other.auth);
    }
    await api(t, 'POST', '/api/v1/channels', { name: 'api', type: 'api' }, other.auth);
    const voice = await api<Many>(t, 'GET', '/api/v1/channels?type=voice&limit=100', undefined, other.auth);
    expect(voice.body.data.map((c) => c.name)).toEqual(['voice 0', 'voice 1', 'voice 2', 'voice 3', 'voice 4']);
    const inactive = await api<Many>(t, 'GET', '/api/v1/channels?active=false', undefined, other.auth);
    expect(inactive.body.data.map((c) => c.name)).toEqual(['voice 1', 'voice 3']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/channels?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: Many } = await api<Many>(t, 'GET', url, undefined, other.auth);
      seen.push(...page.body.data.map((c) => c.name));
      cursor = page.body.pagination.cursor;
      expect(page.body.pagination.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toEqual(['voice 0', 'voice 1', 'voice 2', 'voice 3', 'voice 4', 'api']);
    expect((await api(t, 'GET', '/api/v1/channels?cursor=garbage!')).status).toBe(400);
  });

  it("answers 404 for another account's channel on every route and lists only its own", async () => {
    const mine = await api<One>(t, 'POST', '/api/v1/channels', { name: 'Mine', type: 'api' });
    const other = await t.otherWorkspace();
    const id = mine.body.data.id;
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'hijacked' }], ['DELETE', undefined]] as const) {
      const res = await api(t, method, `/api/v1/channels/${id}`, body, other.auth);
      expect(res.status, method).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    const theirs = await api<Many>(t, 'GET', '/api/v1/channels', undefined, other.auth);
    expect(theirs.body.data).toEqual([]);
    expect((await api<One>(t, 'GET', `/api/v1/channels/${id}`)).body.data.name).toBe('Mine');
  });

  it('deletes with 204 and leaves its conversations without a channel, others untouched', async () => {
    const doomed = await api<One>(t, 'POST', '/api/v1/channels', { name: 'Doomed', type: 'api' });
    const kept = await api<One>(t, 'POST', '/api/v1/channels', { name: 'Kept', type: 'api' });
    const [a, b, c] = [await newConversation(t), await newConversation(t), await newConversation(t)];
    await t.database.db.updateTable('conversations').set({ channel_id: doomed.body.data.id }).where('id', 'in', [a, b]).execute();
    await t.database.db.updateTable('conversations').set({ channel_id: kept.body.data.id }).where('id', '=', c).execute();

    const res = await api(t, 'DELETE', `/api/v1/channels/${doomed.body.data.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await channelOf(t, a)).toBeNull();
    expect(await channelOf(t, b)).toBeNull();
    expect(await channelOf(t, c)).toBe(kept.body.data.id);
    expect((await api(t, 'GET', `/api/v1/channels/${doomed.body.data.id}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/v1/channels/${doomed.body.data.id}`)).status).toBe(404);
    const conv = await api<{ data: { id: string; status: string } }>(t, 'GET', `/api/v1/conversations/${a}`);
    expect(conv.status).toBe(200);
  });

  it('lets agent-role members read channels but answers 403 to their changes; admins may change them', async () => {
    const admin = await login(t);
    const agent = await loginAsAgentMember(t, admin);
    const created = await api<One>(t, 'POST', '/api/v1/channels', { name: 'By admin', type: 'api' }, admin.headers);
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect((await api<One>(t, 'GET', `/api/v1/channels/${id}`, undefined, agent.headers)).body.data.name).toBe('By admin');
    const list = await api<Many>(t, 'GET', '/api/v1/channels?limit=100', undefined, agent.headers);
    expect(list.body.data.map((c) => c.id)).toContain(id);

    const attempts = [
      ['POST', '/api/v1/channels', { name: 'x', type: 'api' }],
      ['PATCH', `/api/v1/channels/${id}`, { name: 'x' }],
      ['DELETE', `/api/v1/channels/${id}`, undefined],
    ] as const;
    for (const [method, url, body] of attempts) {
      const res = await api(t, method, url, body, agent.headers);
      expect(res.status, method).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
    expect((await api<One>(t, 'GET', `/api/v1/channels/${id}`)).body.data).toEqual(created.body.data);
    const renamed = await api<One>(t, 'PATCH', `/api/v1/channels/${id}`, { name: 'Renamed' }, admin.headers);
    expect(renamed.body.data.name).toBe('Renamed');
    expect((await api(t, 'DELETE', `/api/v1/channels/${id}`, undefined, admin.headers)).status).toBe(204);
  });
});
