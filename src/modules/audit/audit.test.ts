import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Entry {
  id: number;
  created_at: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  details: Record<string, unknown>;
  ip: string | null;
}
type Page = { data: Entry[]; pagination: { cursor: string | null; has_more: boolean } };

const HOOK = 'https://203.0.113.10/hook';

/** Issue 18: who changed what, which record, when and from where; every sign-in, failed ones too. */
describe.each(DIALECTS)('the audit log on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  /** Every secret the tests see; none may ever reach the log. */
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    secrets.push(t.workspace.apiKey, t.workspace.adminPassword, admin.csrf, admin.cookie.split('=')[1]!);
  });
  afterAll(async () => t.close());

  const read = async (query = '', who: TestSession = admin) => {
    const res = await api<Page>(t, 'GET', `/api/v1/audit_log${query}`, undefined, who.headers);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  /** The newest entry of an action. */
  const last = async (action: string) => (await read(`?action=${action}&limit=1`)).data[0];
  const as = (who: TestSession) => who.headers;

  it('records a sign-in, and each kind of failed one with the email tried and the address, never the password', async () => {
    const member = await createMember(t, { admin, role: 'agent' });
    secrets.push(member.password);
    const session = await login(t, member.email, member.password);
    const signIn = await last('auth.sign_in');
    expect(signIn).toMatchObject({
      actor: { type: 'member', id: session.member.id, name: member.email },
      target: { type: 'member', id: session.member.id },
      ip: '127.0.0.1',
    });

    const wrong = await api(t, 'POST', '/api/v1/auth/login', { email: member.email, password: 'not the password at all' }, {});
    expect(wrong.status).toBe(401);
    expect(await last('auth.sign_in_failed')).toMatchObject({
      actor: { type: 'anonymous', id: null, name: member.email },
      target: { type: 'member', id: session.member.id },
      details: { reason: 'wrong_password' },
      ip: '127.0.0.1',
    });

    // An email no member has: kept outside every workspace (an admin sees it in none).
    const unknown = `nobody-${Date.now()}@example.com`;
    expect((await api(t, 'POST', '/api/v1/auth/login', { email: unknown, password: 'guessing a password' }, {})).status).toBe(401);
    const stray = await t.database.db.selectFrom('audit_log').selectAll().where('actor_name', '=', unknown).execute();
    expect(stray).toHaveLength(1);
    expect(stray[0]).toMatchObject({ account_id: null, action: 'auth.sign_in_failed', actor_type: 'anonymous', ip: '127.0.0.1' });
    expect(JSON.parse(stray[0]!.details)).toEqual({ reason: 'unknown_email' });
    expect((await read('?action=auth.sign_in_failed&limit=100')).data.some((e) => e.actor.name === unknown)).toBe(false);

    // Past the limit of failures for the email: refused before the password is checked, recorded as such.
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) {
      status = (await api(t, 'POST', '/api/v1/auth/login', { email: member.email, password: `wrong guess number ${i}` }, {})).status;
    }
    expect(status).toBe(429);
    expect(await last('auth.sign_in_failed')).toMatchObject({ actor: { name: member.email }, details: { reason: 'rate_limited' } });
    const rows = JSON.stringify(await t.database.db.selectFrom('audit_log').selectAll().execute());
    expect(rows).not.toContain('not the password at all');
    expect(rows).not.toContain('wrong guess number');
    expect(rows).not.toContain('guessing a password');
  });

  it('records a password change and a sign-out, never the passwords', async () => {
    const member = await createMember(t, { admin, role: 'agent' });
    const session = await login(t, member.email, member.password);
    const changed = await api(t, 'POST', '/api/v1/settings/password', { current_password: member.password, new_password: 'a brand new secret phrase' }, session.headers);
    expect(changed.status, changed.text).toBe(204);
    secrets.push(member.password, 'a brand new secret phrase');
    expect(await last('member.password_changed')).toMatchObject({ actor: { id: session.member.id, name: member.email }, details: {} });
    expect((await api(t, 'POST', '/api/v1/auth/logout', undefined, session.headers)).status).toBe(204);
    expect(await last('auth.sign_out')).toMatchObject({ actor: { id: session.member.id } });
  });

  it('records changes to members and invitations, by whom, and an invitation accepted by the new member', async () => {
    const created = await createMember(t, { admin, role: 'agent', name: 'Zoe' });
    secrets.push(created.password);
    expect(await last('member.created')).toMatchObject({
      actor: { type: 'member', id: admin.member.id, name: t.workspace.adminEmail },
      target: { type: 'member', id: created.member.id },
      details: { email: created.email, role: 'agent', name: 'Zoe' },
      ip: '127.0.0.1',
    });
    expect((await api(t, 'POST', `/api/v1/members/${created.member.id}/role`, { role: 'admin' }, as(admin))).status).toBe(200);
    expect(await last('member.role_changed')).toMatchObject({ target: { id: created.member.id }, details: { role: 'admin', fields: ['role'] } });
    expect((await api(t, 'DELETE', `/api/v1/members/${created.member.id}`, undefined, as(admin))).status).toBe(204);
    expect(await last('member.deleted')).toMatchObject({ target: { type: 'member', id: created.member.id } });

    const invited = await api<{ data: { id: string; url: string } }>(t, 'POST', '/api/v1/members/invitations', { email: 'new@example.com', role: 'agent' }, as(admin));
    expect(invited.status).toBe(201);
    const token = invited.body.data.url.split('/').pop()!;
    secrets.push(token);
    expect(await last('invitation.created')).toMatchObject({ target: { type: 'invitation', id: invited.body.data.id }, details: { email: 'new@example.com', role: 'agent' } });
    const accepted = await api<{ data: { member: { id: string } } }>(t, 'POST', `/api/v1/invitations/${token}/accept`, { name: 'New', password: 'the new password here' }, {});
    expect(accepted.status, accepted.text).toBe(201);
    secrets.push('the new password here');
    expect(await last('invitation.accepted')).toMatchObject({
      actor: { type: 'member', id: accepted.body.data.member.id, name: 'new@example.com' },
      target: { type: 'member', id: accepted.body.data.member.id },
    });
    const other = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/members/invitations', { email: 'later@example.com', role: 'agent' }, as(admin));
    expect((await api(t, 'DELETE', `/api/v1/members/invitations/${other.body.data.id}`, undefined, as(admin))).status).toBe(204);
    expect(await last('invitation.revoked')).toMatchObject({ target: { type: 'invitation', id: other.body.data.id } });
  });

  it('records agents, keys and knowledge, an API key named by its prefix, never a key secret', async () => {
    const agent = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/agents', { name: 'Billing bot' }, as(admin));
    expect(await last('agent.created')).toMatchObject({ target: { type: 'agent', id: agent.body.data.id }, details: { name: 'Billing bot' } });
    await api(t, 'PATCH', `/api/v1/agents/${agent.body.data.id}`, { description: 'Bills' }, as(admin));
    expect(await last('agent.updated')).toMatchObject({ target: { id: agent.body.data.id }, details: { fields: ['description'] } });

    const key = await api<{ data: { id: string; prefix: string; secret: string } }>(t, 'POST', `/api/v1/agents/${agent.body.data.id}/keys`, { name: 'ci' }, as(admin));
    expect(key.status, key.text).toBe(201);
    secrets.push(key.body.data.secret);
    expect(await last('api_key.created')).toMatchObject({ target: { type: 'api_key', id: key.body.data.id }, details: { name: 'ci', prefix: key.body.data.prefix } });

    // Changes made with an API key name the key (its prefix), not a member.
    const byKey = { authorization: `Bearer ${key.body.data.secret}` };
    const doc = await api<{ data: { id: string } }>(t, 'POST', `/api/v1/agents/${agent.body.data.id}/documents`, { title: 'Refunds', body: 'Refunds take 5 days.' }, byKey);
    expect(doc.status, doc.text).toBe(201);
    expect(await last('knowledge.created')).toMatchObject({
      actor: { type: 'api_key', id: key.body.data.id, name: key.body.data.prefix },
      target: { type: 'knowledge_document', id: doc.body.data.id },
      details: { title: 'Refunds' },
    });
    await api(t, 'PATCH', `/api/v1/agents/${agent.body.data.id}/documents/${doc.body.data.id}`, { title: 'Refund times' }, byKey);
    expect(await last('knowledge.updated')).toMatchObject({ target: { id: doc.body.data.id }, details: { title: 'Refund times' } });
    await api(t, 'DELETE', `/api/v1/agents/${agent.body.data.id}/documents/${doc.body.data.id}`, undefined, byKey);
    expect(await last('knowledge.deleted')).toMatchObject({ target: { id: doc.body.data.id } });
    expect((await api(t, 'DELETE', `/api/v1/agents/${agent.body.data.id}/keys/${key.body.data.id}`, undefined, as(admin))).status).toBe(204);
    expect(await last('api_key.revoked')).toMatchObject({ actor: { type: 'member' }, target: { type: 'api_key', id: key.body.data.id } });
  });

  it('records channels, webhooks, automations, teams and states, never their secrets or SMTP passwords', async () => {
    const channel = await api<{ data: { id: string; inbound_token?: string } }>(
      t,
      'POST',
      '/api/v1/channels',
      { name: 'Support mail', type: 'email', config: { address: 'support@shop.example', smtp: { host: 'smtp.shop.example', user: 'u', password: 'smtp-pass-SECRET-1' } } },
      as(admin),
    );
    expect(channel.status, channel.text).toBe(201);
    secrets.push('smtp-pass-SECRET-1');
    if (channel.body.data.inbound_token) secrets.push(channel.body.data.inbound_token);
    expect(await last('channel.created')).toMatchObject({ target: { type: 'channel', id: channel.body.data.id }, details: { name: 'Support mail', type: 'email' } });
    await api(t, 'PATCH', `/api/v1/channels/${channel.body.data.id}`, { config: { address: 'support@shop.example', smtp: { host: 'smtp.shop.example', user: 'u', password: 'smtp-pass-SECRET-2' } } }, as(admin));
    secrets.push('smtp-pass-SECRET-2');
    expect(await last('channel.updated')).toMatchObject({ target: { id: channel.body.data.id }, details: { fields: ['config'] } });
    const rotated = await api<{ data: { inbound_token?: string } }>(t, 'POST', `/api/v1/channels/${channel.body.data.id}/rotate_inbound_token`, undefined, as(admin));
    if (rotated.body.data?.inbound_token) secrets.push(rotated.body.data.inbound_token);
    expect(await last('channel.inbound_token_rotated')).toMatchObject({ target: { id: channel.body.data.id } });
    await api(t, 'DELETE', `/api/v1/channels/${channel.body.data.id}`, undefined, as(admin));
    expect(await last('channel.deleted')).toMatchObject({ target: { id: channel.body.data.id } });

    const hook = await api<{ data: { id: string; secret: string } }>(t, 'POST', '/api/v1/webhooks', { url: `${HOOK}?token=url-token-SECRET` }, as(admin));
    expect(hook.status, hook.text).toBe(201);
    secrets.push(hook.body.data.secret, 'url-token-SECRET');
    expect(await last('webhook.created')).toMatchObject({ target: { type: 'webhook', id: hook.body.data.id }, details: { fields: ['url'] } });
    const rotatedHook = await api<{ data: { secret: string } }>(t, 'POST', `/api/v1/webhooks/${hook.body.data.id}/rotate_secret`, undefined, as(admin));
    secrets.push(rotatedHook.body.data.secret);
    expect(await last('webhook.secret_rotated')).toMatchObject({ target: { id: hook.body.data.id } });
    await api(t, 'DELETE', `/api/v1/webhooks/${hook.body.data.id}`, undefined, t.auth);
    expect(await last('webhook.deleted')).toMatchObject({ actor: { type: 'api_key' }, target: { id: hook.body.data.id } });

    const rule = await api<{ data: { id: string } }>(
      t,
      'POST',
      '/api/v1/automations',
      { name: 'Tag refunds', event: 'message.created', actions: [{ type: 'add_tag', value: 'refund' }] },
      as(admin),
    );
    expect(await last('automation.created')).toMatchObject({ target: { type: 'automation', id: rule.body.data.id }, details: { name: 'Tag refunds', event: 'message.created' } });
    await api(t, 'POST', `/api/v1/automations/${rule.body.data.id}/toggle`, undefined, as(admin));
    expect(await last('automation.toggled')).toMatchObject({ target: { id: rule.body.data.id } });
    await api(t, 'DELETE', `/api/v1/automations/${rule.body.data.id}`, undefined, as(admin));
    expect(await last('automation.deleted')).toMatchObject({ target: { id: rule.body.data.id } });

    const team = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/teams', { name: 'Billing' }, as(admin));
    expect(await last('team.created')).toMatchObject({ target: { type: 'team', id: team.body.data.id }, details: { name: 'Billing' } });
    await api(t, 'PATCH', `/api/v1/teams/${team.body.data.id}`, { max_open_per_member: 3 }, as(admin));
    expect(await last('team.updated')).toMatchObject({ details: { fields: ['max_open_per_member'] } });
    await api(t, 'DELETE', `/api/v1/teams/${team.body.data.id}`, undefined, as(admin));
    expect(await last('team.deleted')).toMatchObject({ target: { id: team.body.data.id } });

    const state = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversation_states', { name: 'Waiting on vendor', color: '#112233' }, as(admin));
    await api(t, 'DELETE', `/api/v1/conversation_states/${state.body.data.id}`, undefined, as(admin));
    expect(await last('conversation_state.deleted')).toMatchObject({ target: { type: 'conversation_state', id: state.body.data.id } });
  });

  it('records settings and retention with their before and after, only what changed', async () => {
    const before = await api<{ data: { name: string } }>(t, 'GET', '/api/v1/settings/workspace', undefined, as(admin));
    const res = await api(t, 'POST', '/api/v1/settings/workspace', { name: 'Renamed shop', idle_end_minutes: 45, retention: { events_days: 30 } }, as(admin));
    expect(res.status, res.text).toBe(200);
    const entry = await last('settings.updated');
    expect(entry).toMatchObject({ actor: { id: admin.member.id }, target: { type: 'workspace', id: t.workspace.accountId }, ip: '127.0.0.1' });
    expect(entry!.details.before).toEqual({ name: before.body.data.name, idle_end_minutes: expect.any(Number), retention: { events_days: null } });
    expect(entry!.details.after).toEqual({ name: 'Renamed shop', idle_end_minutes: 45, retention: { events_days: 30 } });
    // Saving the same settings again changes nothing, and records nothing.
    await api(t, 'POST', '/api/v1/settings/workspace', { name: 'Renamed shop' }, as(admin));
    expect((await last('settings.updated'))!.id).toBe(entry!.id);
    // A refused change is no entry either.
    const agent = await loginAsAgentMember(t, admin);
    expect((await api(t, 'POST', '/api/v1/settings/workspace', { name: 'Agent was here' }, as(agent))).status).toBe(403);
    expect((await last('settings.updated'))!.id).toBe(entry!.id);
  });

  it('records deletions and the erasure of a contact, and exports of its data', async () => {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name: 'Erin', email: 'erin@example.com' });
    const exported = await api(t, 'GET', `/api/v1/contacts/${contact.body.data.id}/export`, undefined, as(admin));
    expect(exported.status, exported.text).toBe(200);
    expect(await last('contact.exported')).toMatchObject({ target: { type: 'contact', id: String(contact.body.data.id) }, details: {} });
    expect((await api(t, 'DELETE', `/api/v1/contacts/${contact.body.data.id}`, undefined, as(admin))).status).toBe(204);
    const erased = await last('contact.erased');
    expect(erased).toMatchObject({ actor: { id: admin.member.id }, target: { type: 'contact', id: String(contact.body.data.id) } });
    expect(JSON.stringify(erased)).not.toContain('erin@example.com');

    const someone = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name: 'Sam' });
    const conversation = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: someone.body.data.id, agent_id: t.workspace.agentId });
    expect(conversation.status, conversation.text).toBe(201);
    expect((await api(t, 'DELETE', `/api/v1/conversations/${conversation.body.data.id}`, undefined, as(admin))).status).toBe(204);
    expect(await last('conversation.deleted')).toMatchObject({ target: { type: 'conversation', id: conversation.body.data.id } });

    const job = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/exports', { resource: 'contacts', format: 'csv' }, as(admin));
    expect(job.status, job.text).toBe(202);
    expect(await last('export.created')).toMatchObject({ target: { type: 'export', id: job.body.data.id }, details: { resource: 'contacts', format: 'csv' } });
    // Its link works without credentials: whoever fetches the file is recorded, anonymous, with the address.
    await t.services.exportsWorker.run();
    const done = await api<{ data: { status: string; download_url: string } }>(t, 'GET', `/api/v1/exports/${job.body.data.id}`, undefined, as(admin));
    expect(done.body.data.status).toBe('done');
    const link = new URL(done.body.data.download_url, 'http://localhost');
    secrets.push(link.searchParams.get('token')!);
    expect((await api(t, 'GET', `${link.pathname}${link.search}`, undefined, {})).status).toBe(200);
    expect(await last('export.downloaded')).toMatchObject({ actor: { type: 'anonymous', id: null }, target: { type: 'export', id: job.body.data.id }, details: {}, ip: '127.0.0.1' });

    const view = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/views', { name: 'Urgent', scope: 'personal', filters: { priority: 'urgent' } }, as(admin));
    await api(t, 'DELETE', `/api/v1/views/${view.body.data.id}`, undefined, as(admin));
    expect(await last('view.deleted')).toMatchObject({ target: { type: 'view', id: view.body.data.id } });
  });

  it('records nothing for a refused change, and one entry for a change retried with its Idempotency-Key', async () => {
    const count = async () => (await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const n = Number(await count());
    expect((await api(t, 'POST', '/api/v1/teams', { name: '' }, as(admin))).status).toBe(400);
    expect((await api(t, 'DELETE', '/api/v1/teams/00000000-0000-7000-8000-000000000000', undefined, as(admin))).status).toBe(404);
    expect(Number(await count())).toBe(n);
    const headers = { ...as(admin), 'idempotency-key': 'team-once' };
    const first = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/teams', { name: 'Once' }, headers);
    const again = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/teams', { name: 'Once' }, headers);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data.id).toBe(first.body.data.id);
    expect((await read(`?action=team.created&limit=100`)).data.filter((e) => e.target?.id === first.body.data.id)).toHaveLength(1);
  });

  it('shows the log to admins only, newest first, filtered, page by page, one workspace at a time', async () => {
    const agent = await loginAsAgentMember(t, admin);
    expect((await api(t, 'GET', '/api/v1/audit_log', undefined, as(agent))).status).toBe(403);
    expect((await api(t, 'GET', '/api/v1/audit_log')).status).toBe(403);
    expect((await api(t, 'GET', '/api/v1/audit_log', undefined, {})).status).toBe(401);

    const all = (await read('?limit=100')).data;
    expect(all.length).toBeGreaterThan(20);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));

    // Pages follow each other with no gap and no repeat.
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await read(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.pagination.cursor;
    } while (cursor);
    expect(seen.slice(0, all.length)).toEqual(all.map((e) => e.id));

    const byKey = (await read(`?actor=${all.find((e) => e.actor.type === 'api_key')!.actor.id}&limit=100`)).data;
    expect(byKey.length).toBeGreaterThan(0);
    expect(byKey.every((e) => e.actor.type === 'api_key')).toBe(true);
    const families = (await read('?action=team.*,auth.sign_in&limit=100')).data;
    expect(new Set(families.map((e) => e.action))).toEqual(new Set(['team.created', 'team.updated', 'team.deleted', 'auth.sign_in']));

    const middle = all[Math.floor(all.length / 2)]!;
    const since = (await read(`?since=${encodeURIComponent(middle.created_at)}&limit=100`)).data;
    expect(since.every((e) => e.created_at >= middle.created_at)).toBe(true);
    const until = (await read(`?until=${encodeURIComponent(middle.created_at)}&limit=100`)).data;
    expect(until.every((e) => e.created_at < middle.created_at)).toBe(true);
    expect(since.length + until.length).toBe(all.length);

    const other = await t.otherWorkspace();
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    const theirs = (await read('?limit=100', otherAdmin)).data;
    expect(theirs.map((e) => e.action)).toEqual(['auth.sign_in']);
  });

  it('refuses bad filters in plain words', async () => {
    const cases: Array<[string, number, string]> = [
      ['?since=yesterday', 400, 'since'],
      ['?until=2026-13-45T00:00:00Z', 400, 'until'],
      ['?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 422, 'since'],
      ['?action=DROP%20TABLE', 400, 'action'],
      ['?action=member.%25', 400, 'action'],
      ['?cursor=not-a-cursor!', 400, 'cursor'],
      ['?limit=0', 400, 'limit'],
      ['?color=red', 400, 'color'],
    ];
    for (const [query, status, field] of cases) {
      const res = await api(t, 'GET', `/api/v1/audit_log${query}`, undefined, as(admin));
      expect(res.status, `${query}: ${res.text}`).toBe(status);
      expect(JSON.stringify(errorOf(res)), query).toContain(field);
    }
  });

  it('cannot be changed or deleted through the API', async () => {
    const entry = (await read('?limit=1')).data[0]!;
    for (const [method, url] of [
      ['DELETE', '/api/v1/audit_log'],
      ['DELETE', `/api/v1/audit_log/${entry.id}`],
      ['PATCH', `/api/v1/audit_log/${entry.id}`],
      ['PUT', `/api/v1/audit_log/${entry.id}`],
      ['POST', '/api/v1/audit_log'],
    ] as const) {
      const res = await api(t, method, url, method === 'DELETE' ? undefined : {}, as(admin));
      expect([404, 405], `${method} ${url}`).toContain(res.status);
      expect(errorOf(res).code).toBeTruthy();
    }
    expect((await read('?limit=1')).data[0]).toEqual(entry);
  });

  it('never writes a password, key, token or secret', async () => {
    const rows = JSON.stringify(await t.database.db.selectFrom('audit_log').selectAll().execute());
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(rows, 'a secret in the audit log').not.toContain(secret);
  });
});
