import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { identityHashOf } from './widget.secrets.js';

interface Session {
  visitor_token: string;
  contact: { id: number; name: string | null; email: string | null; verified: boolean };
  widget: Record<string, unknown>;
}
type One = { data: Session };
interface Channel {
  id: string;
  public_key: string;
  identity_secret: string;
}

describe.each(DIALECTS)('widget visitor sessions on %s', (dialect) => {
  let t: TestApp;
  let open: Channel;
  let shop: Channel;
  let optional: Channel;
  let required: Channel;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const channel = async (config: Record<string, unknown>) =>
      (await api<{ data: Channel }>(t, 'POST', '/api/v1/channels', { name: 'Widget', type: 'web_widget', config })).body.data;
    open = await channel({ title: 'Ask us' });
    shop = await channel({ allowed_origins: ['https://shop.example'] });
    optional = await channel({ identity_verification: 'optional' });
    required = await channel({ identity_verification: 'required' });
  });
  afterAll(async () => t.close());

  const start = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    api<One>(t, 'POST', '/api/v1/widget/sessions', body, headers);
  const contactRow = (id: number) =>
    t.database.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe('refusals', () => {
    it('refuses an unknown or inactive key with 401 and a malformed one with 400', async () => {
      expect((await start({ public_key: 'pk_live_AAAAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(401);
      expect((await start({ public_key: 'sk_live_nope' })).status).toBe(400);
      const inactive = (await api<{ data: Channel }>(t, 'POST', '/api/v1/channels', { name: 'Off', type: 'web_widget', active: false })).body.data;
      const res = await start({ public_key: inactive.public_key });
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('UNAUTHORIZED');
    });

    it('refuses a page of an origin the channel does not allow with 403 and no CORS headers', async () => {
      const res = await start({ public_key: shop.public_key }, { origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const allowed = await start({ public_key: shop.public_key }, { origin: 'https://shop.example' });
      expect(allowed.status).toBe(201);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
      // Parley's own frame (the request's own host) is always allowed.
      expect((await start({ public_key: shop.public_key }, { origin: 'http://localhost:80' })).status).toBe(201);
    });

    it('refuses API keys and inbox sessions on widget routes, and visitor or public keys elsewhere', async () => {
      expect((await start({ public_key: open.public_key }, t.auth)).status).toBe(401);
      expect((await api(t, 'DELETE', '/api/v1/widget/sessions/current', undefined, t.auth)).status).toBe(401);
      const admin = await login(t);
      expect((await api(t, 'DELETE', '/api/v1/widget/sessions/current', undefined, admin.headers)).status).toBe(401);

      const { visitor_token } = (await start({ public_key: open.public_key })).body.data;
      for (const credential of [visitor_token, open.public_key]) {
        for (const url of ['/api/v1/conversations', '/api/v1/contacts', '/api/v1/agents', '/api/v1/channels', '/api/v1/events']) {
          const res = await api(t, 'GET', url, undefined, { authorization: `Bearer ${credential}` });
          expect(res.status, `${url} with ${credential.slice(0, 3)}`).toBe(401);
        }
      }
    });

    it('refuses a wrong identity hash with 401, and an anonymous visitor where identity is required', async () => {
      const bad = await start({ public_key: optional.public_key, user: { id: 'u-1', hash: identityHashOf('not the secret', 'u-1') } });
      expect(bad.status).toBe(401);
      const otherUser = await start({ public_key: required.public_key, user: { id: 'u-2', hash: identityHashOf(required.identity_secret, 'u-1') } });
      expect(otherUser.status).toBe(401);
      expect((await start({ public_key: required.public_key })).status).toBe(401);
      expect((await start({ public_key: required.public_key, user: { id: 'u-1', email: 'u1@example.com' } })).status).toBe(401);
      const contacts = await t.database.db.selectFrom('contacts').select('id').where('external_id', '=', 'u-1').execute();
      expect(contacts).toEqual([]);
    });

    it('limits how many sessions one address starts a minute (429)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 125; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/widget/sessions',
          remoteAddress: '203.0.113.9',
          payload: { public_key: 'pk_live_AAAAAAAAAAAAAAAAAAAAAAAA' },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 120).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(120)).toEqual([429, 429, 429, 429, 429]);
    });
  });

  it('answers a preflight with the CORS headers a browser needs to ask', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/widget/sessions',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(String(res.headers['access-control-allow-headers'])).toContain('authorization');
  });

  it('starts an anonymous visitor as a new guest and resumes it with its token', async () => {
    const first = await start({ public_key: open.public_key, attributes: { plan: 'free' } });
    expect(first.status).toBe(201);
    const session = first.body.data;
    expect(session.visitor_token).toMatch(/^vt_/);
    expect(session.contact).toMatchObject({ email: null, verified: false });
    expect(session.widget).toMatchObject({ title: 'Ask us', greeting: 'Hi! How can we help?', online: true, next_online_at: null, reply_time: 'hours' });
    expect(JSON.parse((await contactRow(session.contact.id)).metadata)).toEqual({ plan: 'free' });
    // Only the hash is stored.
    const stored = await t.database.db.selectFrom('visitor_sessions').select('token_hash').execute();
    expect(stored.some((s) => s.token_hash === session.visitor_token || s.token_hash.includes('vt_'))).toBe(false);

    const again = await start({ public_key: open.public_key, visitor_token: session.visitor_token });
    expect(again.status).toBe(200);
    expect(again.body.data.visitor_token).toBe(session.visitor_token);
    expect(again.body.data.contact.id).toBe(session.contact.id);
    // A token of another channel, or a made-up one, starts afresh.
    expect((await start({ public_key: optional.public_key, visitor_token: session.visitor_token })).status).toBe(201);
    expect((await start({ public_key: open.public_key, visitor_token: `vt_${'x'.repeat(43)}` })).status).toBe(201);
  });

  it('keeps a typed email as a claim: it never joins the visitor to the contact who owns it', async () => {
    const owner = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'jane@example.com', name: 'Jane' });
    const claim = await start({ public_key: optional.public_key, user: { id: 'jane', email: 'jane@example.com', name: 'Jane?' } });
    expect(claim.status).toBe(201);
    expect(claim.body.data.contact.id).not.toBe(owner.body.data.id);
    expect(claim.body.data.contact).toMatchObject({ email: 'jane@example.com', verified: false, name: 'Jane?' });
    const row = await contactRow(claim.body.data.contact.id);
    expect(row).toMatchObject({ email: null, claimed_email: 'jane@example.com', external_id: null });
    expect((await contactRow(owner.body.data.id)).name).toBe('Jane');
  });

  it('joins a verified user to the contact of its id, with the anonymous history of that browser', async () => {
    const anon = (await start({ public_key: optional.public_key })).body.data;
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: anon.contact.id, channel_id: optional.id });
    expect(conv.status).toBe(201);
    const existing = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'sam@example.com', name: 'Sam' });

    const user = { id: 'user-42', email: 'sam@example.com', name: 'Sam Sample', hash: identityHashOf(optional.identity_secret, 'user-42') };
    const verified = await start({ public_key: optional.public_key, visitor_token: anon.visitor_token, user });
    expect(verified.status).toBe(201);
    const session = verified.body.data;
    expect(session.visitor_token).not.toBe(anon.visitor_token);
    expect(session.contact).toMatchObject({ verified: true, name: 'Sam Sample' });
    // The email is not covered by the hash: another contact has it, so it stays a claim here.
    expect(session.contact.id).not.toBe(existing.body.data.id);
    expect(await contactRow(session.contact.id)).toMatchObject({ external_id: 'user-42', email: null, claimed_email: 'sam@example.com' });
    const moved = await api<{ data: { contact_id: number } }>(t, 'GET', `/api/v1/conversations/${conv.body.data.id}`);
    expect(moved.body.data.contact_id).toBe(session.contact.id);
    const events = await api<{ data: Array<{ type: string; data: { conversation?: { id: string } } }> }>(t, 'GET', '/api/v1/events?type=conversation.updated&limit=100');
    expect(events.body.data.some((e) => e.data.conversation?.id === conv.body.data.id)).toBe(true);

    // The anonymous token is spent; the same user on another device reaches the same contact.
    expect((await start({ public_key: optional.public_key, visitor_token: anon.visitor_token })).body.data.contact.id).not.toBe(session.contact.id);
    const otherDevice = await start({ public_key: optional.public_key, user });
    expect(otherDevice.body.data.contact.id).toBe(session.contact.id);
    const resumed = await start({ public_key: optional.public_key, visitor_token: session.visitor_token, user });
    expect(resumed.status).toBe(200);
    // The page may not rename a verified contact; it is the business's.
    const renamed = await start({ public_key: optional.public_key, visitor_token: session.visitor_token });
    expect(renamed.body.data.contact.name).toBe('Sam Sample');
  });

  it("ends a visitor's session on shutdown: its token is forgotten", async () => {
    const { visitor_token } = (await start({ public_key: open.public_key })).body.data;
    const bearer = { authorization: `Bearer ${visitor_token}` };
    expect((await api(t, 'DELETE', '/api/v1/widget/sessions/current', undefined, bearer)).status).toBe(204);
    expect((await api(t, 'DELETE', '/api/v1/widget/sessions/current', undefined, bearer)).status).toBe(401);
    const next = await start({ public_key: open.public_key, visitor_token });
    expect(next.status).toBe(201);
    expect(next.body.data.visitor_token).not.toBe(visitor_token);
  });
});
