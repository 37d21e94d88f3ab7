import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface WidgetChannel {
  id: string;
  type: string;
  config: Record<string, unknown>;
  public_key: string | null;
  embed_snippet: string | null;
  identity_secret?: string;
}
type One = { data: WidgetChannel };

const HOST = { host: 'chat.parley.test' };

describe.each(DIALECTS)('web_widget channels on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  const create = (body: Record<string, unknown>, headers: Record<string, string> = t.auth) =>
    api<One>(t, 'POST', '/api/v1/channels', { name: 'Website', type: 'web_widget', ...body }, { ...headers, ...HOST });
  const stored = async () => (await t.database.db.selectFrom('channels').select(['id', 'config']).execute()).length;

  it('refuses bad settings with 422 naming each field, and stores nothing', async () => {
    const before = await stored();
    const res = await create({
      config: {
        accent_color: 'red',
        position: 'middle',
        allowed_origins: ['https://shop.example', 'https://shop.example/path', '*'],
        identity_verification: 'sometimes',
        locale: 'not a language',
        title: '   ',
        unknown: 1,
        pre_chat: { enabled: 'yes', fields: [{ name: 'Bad Name', type: 'select', options: [] }] },
      },
    });
    expect(res.status).toBe(422);
    expect(Object.keys(errorOf(res).details).sort()).toEqual(
      [
        'accent_color',
        'allowed_origins[1]',
        'allowed_origins[2]',
        'identity_verification',
        'locale',
        'position',
        'pre_chat.enabled',
        'pre_chat.fields[0].name',
        'pre_chat.fields[0].options',
        'title',
        'unknown',
      ].sort(),
    );
    const tooMany = await create({ config: { pre_chat: { fields: Array.from({ length: 6 }, (_, i) => ({ name: `f${i}` })) } } });
    expect(tooMany.status).toBe(422);
    expect(errorOf(tooMany).details).toHaveProperty(['pre_chat.fields']);
    expect(await stored()).toBe(before);
  });

  it("refuses an agent of another account with 422, as if it did not exist", async () => {
    const other = await t.otherWorkspace();
    const res = await create({ config: { agent_id: other.agentId } });
    expect(res.status).toBe(422);
    expect(errorOf(res).details).toHaveProperty('agent_id');
  });

  it('creates a widget with a public key, the snippet to paste and the identity secret shown once', async () => {
    const res = await create({ config: { allowed_origins: ['HTTPS://Shop.Example:443'], accent_color: '#FF6600' } });
    expect(res.status).toBe(201);
    const channel = res.body.data;
    expect(channel.public_key).toMatch(/^pk_live_[A-Za-z0-9_-]{20,}$/);
    expect(channel.identity_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(channel.embed_snippet).toContain(`<script async src="http://chat.parley.test/widget.js" data-key="${channel.public_key}"></script>`);
    expect(channel.embed_snippet).toContain('(Parley.q=Parley.q||[]).push(arguments)');
    // Every setting is shown with its default; origins are stored as browsers send them.
    expect(channel.config).toEqual({
      agent_id: t.workspace.agentId,
      allowed_origins: ['https://shop.example'],
      title: 'Chat with us',
      greeting: 'Hi! How can we help?',
      accent_color: '#ff6600',
      position: 'right',
      locale: 'auto',
      pre_chat: { enabled: false, require_email: false, fields: [] },
      identity_verification: 'off',
    });

    const got = await api<One>(t, 'GET', `/api/v1/channels/${channel.id}`, undefined, { ...t.auth, ...HOST });
    expect(got.body.data.public_key).toBe(channel.public_key);
    expect(got.body.data.embed_snippet).toBe(channel.embed_snippet);
    expect(got.body.data).not.toHaveProperty('identity_secret');
    const list = await api<{ data: WidgetChannel[] }>(t, 'GET', '/api/v1/channels?type=web_widget', undefined, t.auth);
    expect(list.body.data.every((c) => !('identity_secret' in c))).toBe(true);
  });

  it('replaces the settings with PATCH, keeping the agent, and keeps them when the new ones are refused', async () => {
    const { id } = (await create({ config: { title: 'Help' } })).body.data;
    const ok = await api<One>(t, 'PATCH', `/api/v1/channels/${id}`, { config: { greeting: 'Hello there', position: 'left' } });
    expect(ok.status).toBe(200);
    expect(ok.body.data.config).toMatchObject({ agent_id: t.workspace.agentId, title: 'Chat with us', greeting: 'Hello there', position: 'left' });
    const bad = await api<One>(t, 'PATCH', `/api/v1/channels/${id}`, { config: { position: 'top' } });
    expect(bad.status).toBe(422);
    const after = await api<One>(t, 'GET', `/api/v1/channels/${id}`);
    expect(after.body.data.config).toEqual(ok.body.data.config);
  });

  it('refuses to turn a channel into a widget or a widget into another type (its key is in pages)', async () => {
    const widget = (await create({})).body.data;
    const toApi = await api(t, 'PATCH', `/api/v1/channels/${widget.id}`, { type: 'api' });
    expect(toApi.status).toBe(422);
    expect(errorOf(toApi).details).toHaveProperty('type');
    const plain = await api<One>(t, 'POST', '/api/v1/channels', { name: 'Backend', type: 'api' });
    const toWidget = await api(t, 'PATCH', `/api/v1/channels/${plain.body.data.id}`, { type: 'web_widget' });
    expect(toWidget.status).toBe(422);
    expect((await api<One>(t, 'GET', `/api/v1/channels/${plain.body.data.id}`)).body.data.public_key).toBeNull();
  });

  it('rotates the identity secret for admins and API keys only; other accounts get 404', async () => {
    const widget = (await create({})).body.data;
    const url = `/api/v1/channels/${widget.id}/rotate_identity_secret`;
    const admin = await login(t);
    const agentMember = await loginAsAgentMember(t, admin);
    expect((await api(t, 'POST', url, undefined, agentMember.headers)).status).toBe(403);
    const other = await t.otherWorkspace();
    expect((await api(t, 'POST', url, undefined, other.auth)).status).toBe(404);
    const plain = await api<One>(t, 'POST', '/api/v1/channels', { name: 'Backend', type: 'api' });
    expect((await api(t, 'POST', `/api/v1/channels/${plain.body.data.id}/rotate_identity_secret`)).status).toBe(422);

    const rotated = await api<One>(t, 'POST', url, undefined, admin.headers);
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.identity_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body.data.identity_secret).not.toBe(widget.identity_secret);
    expect(rotated.body.data.public_key).toBe(widget.public_key);
  });
});
