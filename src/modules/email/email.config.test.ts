import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { rawMail } from '../../../test/mail-fixtures.js';

interface EmailChannel {
  id: string;
  type: string;
  config: Record<string, unknown>;
  status: { state: string | null; last_error: string | null; last_error_at: string | null; checked_at: string | null };
  inbound_token?: string;
}
type One = { data: EmailChannel };

const SECRET = 'hunter2-smtp-secret';
const IMAP_SECRET = 'imap-secret-value';

const valid = () => ({
  address: 'support@Shop.Example',
  from_name: 'Shop support',
  smtp: { host: 'smtp.shop.example', port: 587, secure: false, user: 'support', password: SECRET },
  imap: { host: 'imap.shop.example', user: 'support', password: IMAP_SECRET },
});

describe.each(DIALECTS)('email channel settings on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  const create = (config: unknown, headers = t.auth) => api<One>(t, 'POST', '/api/v1/channels', { name: 'Support mail', type: 'email', config }, headers);
  const storedConfig = async (id: string) =>
    JSON.parse((await t.database.db.selectFrom('channels').select('config').where('id', '=', id).executeTakeFirstOrThrow()).config) as {
      smtp: { password: string | null; host: string };
      imap: { password: string | null } | null;
    };

  it('refuses bad settings with 422 naming each field in plain words, never repeating a value, and stores nothing', async () => {
    const before = (await t.database.db.selectFrom('channels').select('id').execute()).length;
    const res = await create({
      address: 'not an address',
      from_name: 'x'.repeat(101),
      smtp: { host: ' ', port: 70000, secure: 'yes', user: 'u', password: 12345, colour: SECRET },
      imap: { host: 'imap.shop.example', port: 0, mailbox: '' },
      signature: SECRET,
    });
    expect(res.status).toBe(422);
    const error = errorOf(res);
    expect(error.code).toBe('UNPROCESSABLE_ENTITY');
    expect(Object.keys(error.details).sort()).toEqual(
      [
        'address',
        'from_name',
        'imap.mailbox',
        'imap.port',
        'imap.user',
        'signature',
        'smtp.colour',
        'smtp.host',
        'smtp.password',
        'smtp.port',
        'smtp.secure',
      ].sort(),
    );
    expect(error.details['smtp.port']).toEqual(['must be a whole number from 1 to 65535']);
    expect(error.details.address).toEqual(['must be an email address like support@shop.example']);
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('12345');

    const missing = await create({});
    expect(missing.status).toBe(422);
    expect(Object.keys(errorOf(missing).details).sort()).toEqual(['address', 'smtp']);
    const plus = await create({ ...valid(), address: 'support+x@shop.example' });
    expect(errorOf(plus).details).toHaveProperty('address');
    const noPassword = await create({ ...valid(), imap: { host: 'imap.shop.example', user: 'support' } });
    expect(errorOf(noPassword).details).toEqual({ 'imap.password': ['is required when a user is set'] });
    expect((await t.database.db.selectFrom('channels').select('id').execute()).length).toBe(before);
  });

  it('creates an email channel: passwords never shown, the inbound token shown once and stored as its hash', async () => {
    const res = await create(valid());
    expect(res.status).toBe(201);
    const channel = res.body.data;
    expect(channel.config).toEqual({
      address: 'support@shop.example',
      from_name: 'Shop support',
      smtp: { host: 'smtp.shop.example', port: 587, secure: false, user: 'support', password_set: true },
      imap: { host: 'imap.shop.example', port: 993, secure: true, user: 'support', password_set: true, mailbox: 'INBOX' },
      agent_id: null,
    });
    expect(channel.status).toEqual({ state: null, last_error: null, last_error_at: null, checked_at: null });
    expect(channel.inbound_token).toMatch(/^it_[A-Za-z0-9_-]{32}$/);
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain(IMAP_SECRET);

    const row = await t.database.db.selectFrom('channels').select('inbound_token_hash').where('id', '=', channel.id).executeTakeFirstOrThrow();
    expect(row.inbound_token_hash).toBe(createHash('sha256').update(channel.inbound_token!).digest('hex'));
    expect(await storedConfig(channel.id)).toMatchObject({ smtp: { password: SECRET }, imap: { password: IMAP_SECRET } });

    const got = await api<One>(t, 'GET', `/api/v1/channels/${channel.id}`);
    expect(got.body.data).not.toHaveProperty('inbound_token');
    expect(got.body.data.config).toEqual(channel.config);
    const list = await api<{ data: EmailChannel[] }>(t, 'GET', '/api/v1/channels?type=email');
    expect(list.text).not.toContain(SECRET);
    expect(list.text).not.toContain(IMAP_SECRET);
    expect(list.text).not.toContain(channel.inbound_token);
  });

  it('names the agent that answers its mail: one of the account, else 422', async () => {
    const unknown = await create({ ...valid(), agent_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown).details).toHaveProperty('agent_id');
    expect((await create({ ...valid(), agent_id: 'support-bot' })).status).toBe(422);

    const admin = await login(t);
    const agent = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/agents', { name: 'Mail bot' }, admin.headers);
    expect(agent.status).toBe(201);
    const res = await create({ ...valid(), agent_id: agent.body.data.id });
    expect(res.status).toBe(201);
    expect(res.body.data.config.agent_id).toBe(agent.body.data.id);
    // Its mail is answered by that agent, not the workspace's first.
    const mail = await rawMail({ from: 'Jo <jo@customer.example>', to: 'support@shop.example', subject: 'Which agent?', text: 'Hello', messageId: '<agent-pick@customer.example>' });
    const received = await t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/${res.body.data.id}/inbound`,
      headers: { 'content-type': 'message/rfc822', 'x-parley-inbound-token': res.body.data.inbound_token! },
      payload: mail,
    });
    expect(received.statusCode).toBe(202);
    const conversationId = (received.json() as { data: { conversation_id: string } }).data.conversation_id;
    const conversation = await api<{ data: { agent_id: string } }>(t, 'GET', `/api/v1/conversations/${conversationId}`, undefined, admin.headers);
    expect(conversation.body.data.agent_id).toBe(agent.body.data.id);

    const cleared = await api<One>(t, 'PATCH', `/api/v1/channels/${res.body.data.id}`, { config: { ...valid(), agent_id: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.data.config.agent_id).toBeNull();
  });

  it('keeps a password an update leaves out, but only for the same host and user', async () => {
    const { id } = (await create(valid())).body.data;
    const { smtp, imap } = valid();
    const kept = await api<One>(t, 'PATCH', `/api/v1/channels/${id}`, {
      config: { address: 'help@shop.example', smtp: { host: smtp.host, port: 2525, secure: false, user: smtp.user }, imap: { host: imap.host, user: imap.user } },
    });
    expect(kept.status).toBe(200);
    expect(kept.body.data.config).toMatchObject({ address: 'help@shop.example', from_name: null, smtp: { port: 2525, password_set: true } });
    expect(kept.text).not.toContain(SECRET);
    expect(kept.body.data).not.toHaveProperty('inbound_token');
    expect(await storedConfig(id)).toMatchObject({ smtp: { password: SECRET }, imap: { password: IMAP_SECRET } });

    // Pointed at another server, the password is asked for again: it is never sent anywhere new.
    const moved = await api<One>(t, 'PATCH', `/api/v1/channels/${id}`, { config: { address: 'help@shop.example', smtp: { host: 'evil.example', user: smtp.user } } });
    expect(moved.status).toBe(422);
    expect(errorOf(moved).details).toEqual({ 'smtp.password': ['is required again when the host or user changes'] });
    expect((await storedConfig(id)).smtp.host).toBe('smtp.shop.example');

    // Left out, imap is removed; an empty password clears the SMTP one.
    const cleared = await api<One>(t, 'PATCH', `/api/v1/channels/${id}`, { config: { address: 'help@shop.example', smtp: { host: smtp.host, password: '' } } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.data.config).toMatchObject({ smtp: { user: null, password_set: false, port: 465, secure: true }, imap: null });
  });

  it('refuses to turn a channel into email or email into another type', async () => {
    const { id } = (await create(valid())).body.data;
    const toApi = await api(t, 'PATCH', `/api/v1/channels/${id}`, { type: 'api' });
    expect(toApi.status).toBe(422);
    expect(errorOf(toApi).details).toEqual({ type: ['cannot change to or from email'] });
    const plain = await api<One>(t, 'POST', '/api/v1/channels', { name: 'Backend', type: 'api' });
    const toEmail = await api(t, 'PATCH', `/api/v1/channels/${plain.body.data.id}`, { type: 'email', config: valid() });
    expect(toEmail.status).toBe(422);
  });

  it('rotates the inbound token for admins and API keys only; the old hash is replaced', async () => {
    const channel = (await create(valid())).body.data;
    const url = `/api/v1/channels/${channel.id}/rotate_inbound_token`;
    const admin = await login(t);
    const agentMember = await loginAsAgentMember(t, admin);
    expect((await api(t, 'POST', url, undefined, agentMember.headers)).status).toBe(403);
    const other = await t.otherWorkspace();
    expect((await api(t, 'POST', url, undefined, other.auth)).status).toBe(404);
    const plain = await api<One>(t, 'POST', '/api/v1/channels', { name: 'Backend', type: 'api' });
    const refused = await api(t, 'POST', `/api/v1/channels/${plain.body.data.id}/rotate_inbound_token`);
    expect(refused.status).toBe(422);
    expect(errorOf(refused).message).toBe('Only email channels have an inbound token');

    const rotated = await api<One>(t, 'POST', url, undefined, admin.headers);
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.inbound_token).toMatch(/^it_[A-Za-z0-9_-]{32}$/);
    expect(rotated.body.data.inbound_token).not.toBe(channel.inbound_token);
    expect(rotated.text).not.toContain(SECRET);
    const row = await t.database.db.selectFrom('channels').select('inbound_token_hash').where('id', '=', channel.id).executeTakeFirstOrThrow();
    expect(row.inbound_token_hash).toBe(createHash('sha256').update(rotated.body.data.inbound_token!).digest('hex'));
  });
});
