import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

// Receivers in tests live on loopback; the refusal of private addresses has its own block below.
process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
  secret?: string;
}
type One = { data: Webhook };
type Many = { data: Webhook[]; pagination: { cursor: string | null; has_more: boolean } };

const FIELDS = ['active', 'created_at', 'deactivated_at', 'description', 'events', 'id', 'updated_at', 'url'];
const HOOK = 'http://127.0.0.1:9/hook';

describe.each(DIALECTS)('webhook endpoints on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('creates an endpoint with 201, showing its whsec_ secret once and never again', async () => {
    const res = await api<One>(t, 'POST', '/api/v1/webhooks', { url: HOOK, events: ['message.created'], description: ' CRM sync ' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual([...FIELDS, 'secret'].sort());
    expect(res.body.data).toMatchObject({ url: HOOK, events: ['message.created'], description: 'CRM sync', active: true, deactivated_at: null });
    expect(res.body.data.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const { secret: _secret, ...withoutSecret } = res.body.data;

    const got = await api<One>(t, 'GET', `/api/v1/webhooks/${res.body.data.id}`);
    expect(got.body.data).toEqual(withoutSecret);
    const list = await api<Many>(t, 'GET', '/api/v1/webhooks?limit=100');
    expect(list.body.data.find((w) => w.id === res.body.data.id)).toEqual(withoutSecret);
    const patched = await api<One>(t, 'PATCH', `/api/v1/webhooks/${res.body.data.id}`, { description: 'x' });
    expect(Object.keys(patched.body.data).sort()).toEqual(FIELDS);
    expect(JSON.stringify([got.body, list.body, patched.body])).not.toContain(res.body.data.secret);
  });

  it('subscribes to every event by default, and keeps a list deduplicated in a stable order', async () => {
    const all = await api<One>(t, 'POST', '/api/v1/webhooks', { url: HOOK });
    expect(all.body.data.events).toEqual(['*']);
    const some = await api<One>(t, 'POST', '/api/v1/webhooks', {
      url: HOOK,
      events: ['message.created', 'contact.created', 'message.created'],
    });
    expect(some.body.data.events).toEqual(['contact.created', 'message.created']);
    const star = await api<One>(t, 'POST', '/api/v1/webhooks', { url: HOOK, events: ['conversation.ended', '*'] });
    expect(star.body.data.events).toEqual(['*']);
  });

  it('rejects malformed input with 400 naming the field, and an unusable URL with 422, creating nothing', async () => {
    const before = await api<Many>(t, 'GET', '/api/v1/webhooks?limit=100');
    const bad: Array<[unknown, string]> = [
      [{}, 'url'],
      [{ url: '' }, 'url'],
      [{ url: HOOK, events: [] }, 'events'],
      [{ url: HOOK, events: ['message.teleported'] }, 'events.0'],
      [{ url: HOOK, events: 'message.created' }, 'events'],
      [{ url: HOOK, active: 'yes' }, 'active'],
      [{ url: HOOK, description: 'x'.repeat(501) }, 'description'],
      [{ url: HOOK, secret: 'mine' }, 'secret'],
      [{ url: `http://h/${'x'.repeat(2048)}` }, 'url'],
    ];
    for (const [body, field] of bad) {
      const res = await api(t, 'POST', '/api/v1/webhooks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).details, JSON.stringify(body)).toHaveProperty(field);
    }
    for (const url of ['not a url', 'ftp://example.com/hook', 'javascript:alert(1)', 'https://user:pass@example.com/hook', '/relative']) {
      const res = await api(t, 'POST', '/api/v1/webhooks', { url });
      expect(res.status, url).toBe(422);
      expect(errorOf(res).code).toBe('UNPROCESSABLE_ENTITY');
      expect(errorOf(res).details).toHaveProperty('url');
    }
    expect((await api(t, 'GET', '/api/v1/webhooks/not-a-uuid')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/webhooks?active=maybe')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/webhooks?cursor=garbage!')).status).toBe(400);
    const after = await api<Many>(t, 'GET', '/api/v1/webhooks?limit=100');
    expect(after.body.data).toEqual(before.body.data);
  });

  it('updates url, events, description and active with PATCH; deactivating stamps deactivated_at, re-enabling clears it', async () => {
    const w = (await api<One>(t, 'POST', '/api/v1/webhooks', { url: HOOK })).body.data;
    await new Promise((r) => setTimeout(r, 3));
    const res = await api<One>(t, 'PATCH', `/api/v1/webhooks/${w.id}`, {
      url: 'http://127.0.0.1:9/other',
      events: ['contact.deleted'],
      description: 'Other',
      active: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ url: 'http://127.0.0.1:9/other', events: ['contact.deleted'], description: 'Other', active: false });
    expect(res.body.data.deactivated_at).not.toBeNull();
    expect(res.body.data.updated_at > w.updated_at).toBe(true);
    const same = await api<One>(t, 'PATCH', `/api/v1/webhooks/${w.id}`, { description: 'Other' });
    expect(same.body.data).toEqual(res.body.data);
    const back = await api<One>(t, 'PATCH', `/api/v1/webhooks/${w.id}`, { active: true });
    expect(back.body.data).toMatchObject({ active: true, deactivated_at: null });
    expect((await api(t, 'PATCH', `/api/v1/webhooks/${w.id}`, { events: ['nope'] })).status).toBe(400);
    expect((await api(t, 'PATCH', `/api/v1/webhooks/${w.id}`, { url: 'gopher://x' })).status).toBe(422);
    const inactive = await api<Many>(t, 'GET', '/api/v1/webhooks?active=false&limit=100');
    expect(inactive.body.data.every((x) => !x.active)).toBe(true);
  });

  it('rotates the secret: a new whsec_ value, shown in that answer only', async () => {
    const w = (await api<One>(t, 'POST', '/api/v1/webhooks', { url: HOOK })).body.data;
    const rotated = await api<One>(t, 'POST', `/api/v1/webhooks/${w.id}/rotate_secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.secret).toMatch(/^whsec_/);
    expect(rotated.body.data.secret).not.toBe(w.secret);
    const stored = await t.database.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', w.id).executeTakeFirstOrThrow();
    expect(stored.secret).toBe(rotated.body.data.secret);
    expect((await api<One>(t, 'GET', `/api/v1/webhooks/${w.id}`)).body.data).not.toHaveProperty('secret');
  });

  it('pages endpoints oldest first with an opaque cursor, and deletes with 204', async () => {
    const other = await t.otherWorkspace();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await api<One>(t, 'POST', '/api/v1/webhooks', { url: `${HOOK}/${i}` }, other.auth)).body.data.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Many } = await api<Many>(t, 'GET', `/api/v1/webhooks?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, other.auth);
      seen.push(...page.body.data.map((w) => w.id));
      cursor = page.body.pagination.cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const del = await api(t, 'DELETE', `/api/v1/webhooks/${ids[0]}`, undefined, other.auth);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await api(t, 'GET', `/api/v1/webhooks/${ids[0]}`, undefined, other.auth)).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/v1/webhooks/${ids[0]}`, undefined, other.auth)).status).toBe(404);
  });

  it("answers 404 for another account's endpoint on every route, and lists only its own", async () => {
    const mine = (await api<One>(t, 'POST', '/api/v1/webhooks', { url: HOOK })).body.data;
    const other = await t.otherWorkspace();
    const delivery = await api<{ data: { id: string } }>(t, 'POST', `/api/v1/webhooks/${mine.id}/test`);
    expect(delivery.status).toBe(202);
    const routes: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown]> = [
      ['GET', `/api/v1/webhooks/${mine.id}`, undefined],
      ['PATCH', `/api/v1/webhooks/${mine.id}`, { description: 'hijacked' }],
      ['POST', `/api/v1/webhooks/${mine.id}/rotate_secret`, {}],
      ['POST', `/api/v1/webhooks/${mine.id}/test`, {}],
      ['GET', `/api/v1/webhooks/${mine.id}/deliveries`, undefined],
      ['POST', `/api/v1/webhooks/${mine.id}/deliveries/${delivery.body.data.id}/retry`, {}],
      ['DELETE', `/api/v1/webhooks/${mine.id}`, undefined],
    ];
    for (const [method, url, body] of routes) {
      const res = await api(t, method, url, body, other.auth);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect((await api<Many>(t, 'GET', '/api/v1/webhooks', undefined, other.auth)).body.data).toEqual([]);
    expect((await api<One>(t, 'GET', `/api/v1/webhooks/${mine.id}`)).body.data.description).toBe('');
  });

  it('answers 403 to agent-role members on every route, reads included, and serves admins', async () => {
    const admin: TestSession = await login(t);
    const agent = await loginAsAgentMember(t, admin);
    const created = await api<One>(t, 'POST', '/api/v1/webhooks', { url: HOOK }, admin.headers);
    expect(created.status).toBe(201);
    expect(created.body.data.secret).toMatch(/^whsec_/);
    const id = created.body.data.id;
    const routes: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown]> = [
      ['GET', '/api/v1/webhooks', undefined],
      ['POST', '/api/v1/webhooks', { url: HOOK }],
      ['GET', `/api/v1/webhooks/${id}`, undefined],
      ['PATCH', `/api/v1/webhooks/${id}`, { description: 'x' }],
      ['POST', `/api/v1/webhooks/${id}/rotate_secret`, {}],
      ['POST', `/api/v1/webhooks/${id}/test`, {}],
      ['GET', `/api/v1/webhooks/${id}/deliveries`, undefined],
      ['DELETE', `/api/v1/webhooks/${id}`, undefined],
    ];
    for (const [method, url, body] of routes) {
      const res = await api(t, method, url, body, agent.headers);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
    expect((await api<One>(t, 'PATCH', `/api/v1/webhooks/${id}`, { description: 'By admin' }, admin.headers)).body.data.description).toBe('By admin');
    expect((await api(t, 'DELETE', `/api/v1/webhooks/${id}`, undefined, admin.headers)).status).toBe(204);
  });
});

describe.each(DIALECTS)('webhook URLs on private networks on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // This app is built with private networks refused (the default outside tests).
    process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '0';
    try {
      t = await createTestApp(dialect);
    } finally {
      process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';
    }
  });
  afterAll(async () => t.close());

  it('refuses loopback, private, link-local and unique-local addresses, and names resolving to them, with 422', async () => {
    const urls = [
      'http://127.0.0.1:8080/hook',
      'http://127.1.2.3/hook',
      'http://2130706433/hook', // 127.0.0.1 as one number
      'http://localhost:3000/hook',
      'http://api.localhost/hook',
      'http://10.0.0.5/hook',
      'http://172.16.0.1/hook',
      'http://172.31.255.254/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:10.0.0.1]/hook',
      'http://[fd12:3456::1]/hook',
      'http://[fe80::1]/hook',
    ];
    for (const url of urls) {
      const res = await api(t, 'POST', '/api/v1/webhooks', { url });
      expect(res.status, url).toBe(422);
      expect(errorOf(res).details, url).toHaveProperty('url');
    }
    expect((await api<Many>(t, 'GET', '/api/v1/webhooks')).body.data).toEqual([]);
  });

  it('accepts public addresses, and refuses a PATCH that moves an endpoint onto a private one', async () => {
    const ok = await api<One>(t, 'POST', '/api/v1/webhooks', { url: 'https://203.0.113.10/hooks/parley' });
    expect(ok.status).toBe(201);
    const v6 = await api<One>(t, 'POST', '/api/v1/webhooks', { url: 'https://[2001:db8::10]/hook' });
    expect(v6.status).toBe(201);
    // A name that does not resolve yet is accepted; each send checks its addresses again.
    expect((await api(t, 'POST', '/api/v1/webhooks', { url: 'https://hooks.parley-test.invalid/x' })).status).toBe(201);
    const moved = await api(t, 'PATCH', `/api/v1/webhooks/${ok.body.data.id}`, { url: 'http://192.168.0.1/hook' });
    expect(moved.status).toBe(422);
    expect((await api<One>(t, 'GET', `/api/v1/webhooks/${ok.body.data.id}`)).body.data.url).toBe('https://203.0.113.10/hooks/parley');
  });
});
