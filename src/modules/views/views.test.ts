import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface View {
  id: string;
  name: string;
  scope: 'personal' | 'shared';
  filters: Record<string, unknown>;
  owner_id: string;
  created_at: string;
  updated_at: string;
}
type One = { data: View };
type Counts = { data: { open: number; views: Array<{ id: string; count: number }> } };

/** Issue 16: saved views, personal or shared, and their counts. */
describe.each(DIALECTS)('saved views on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let ana: TestSession;
  let ben: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    const signIn = async (name: string) => {
      const m = await createMember(t, { admin, name });
      return login(t, m.email, m.password);
    };
    ana = await signIn('Ana');
    ben = await signIn('Ben');
  });
  afterAll(async () => t.close());

  const create = (body: unknown, who: TestSession) => api<One>(t, 'POST', '/api/v1/views', body, who.headers);
  const listed = async (who: TestSession) => (await api<{ data: View[] }>(t, 'GET', '/api/v1/views', undefined, who.headers)).body.data.map((v) => v.name);

  it('refuses bad views with plain words and stores nothing', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ name: '   ', filters: {} }, 422, 'name'],
      [{ name: 'x'.repeat(81), filters: {} }, 400, 'name'],
      [{ name: 'Odd', filters: { colour: 'red' } }, 400, 'filters'],
      [{ name: 'Odd', filters: { priority: 'extreme' } }, 400, 'filters'],
      [{ name: 'Odd', filters: { assignee_id: 'someone' } }, 400, 'filters'],
      [{ name: 'Odd', scope: 'team', filters: {} }, 400, 'scope'],
      [{ name: 'Odd' }, 400, 'filters'],
    ];
    for (const [body, status, field] of cases) {
      const res = await create(body, ana);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(errorOf(res).details), JSON.stringify(body)).toContain(field);
    }
    expect(await listed(ana)).toEqual([]);
    expect((await api(t, 'GET', '/api/v1/views')).status).toBe(403);
  });

  it("keeps a personal view its owner's alone", async () => {
    const res = await create({ name: '  My   urgent ', filters: { priority: 'urgent', assignee_id: 'me', q: '  ' } }, ana);
    expect(res.status, res.text).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'My urgent', scope: 'personal', filters: { priority: 'urgent', assignee_id: 'me' }, owner_id: ana.member.id });
    const id = res.body.data.id;
    expect(await listed(ana)).toEqual(['My urgent']);
    expect(await listed(ben)).toEqual([]);
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'Mine now' }], ['DELETE', undefined]] as const) {
      expect((await api(t, method, `/api/v1/views/${id}`, body, ben.headers)).status, `${method} by another member`).toBe(404);
      expect((await api(t, method, `/api/v1/views/${id}`, body, admin.headers)).status, `${method} by an admin`).toBe(404);
    }
    const renamed = await api<One>(t, 'PATCH', `/api/v1/views/${id}`, { name: 'Urgent for me', filters: { priority: 'high' } }, ana.headers);
    expect(renamed.body.data).toMatchObject({ name: 'Urgent for me', filters: { priority: 'high' } });
    expect((await api(t, 'PATCH', `/api/v1/views/${id}`, {}, ana.headers)).status).toBe(400);
    expect((await api(t, 'DELETE', `/api/v1/views/${id}`, undefined, ana.headers)).status).toBe(204);
    expect(await listed(ana)).toEqual([]);
  });

  it('shows a shared view to everyone; its owner or an admin changes it', async () => {
    const res = await create({ name: 'Waiting billing', scope: 'shared', filters: { waiting: true, tag: 'billing' } }, ana);
    const id = res.body.data.id;
    expect(await listed(ben)).toContain('Waiting billing');
    const byBen = await api(t, 'PATCH', `/api/v1/views/${id}`, { name: 'Mine' }, ben.headers);
    expect(byBen.status).toBe(403);
    expect(errorOf(byBen).code).toBe('FORBIDDEN');
    expect((await api(t, 'DELETE', `/api/v1/views/${id}`, undefined, ben.headers)).status).toBe(403);
    const byAdmin = await api<One>(t, 'PATCH', `/api/v1/views/${id}`, { name: 'Billing, waiting' }, admin.headers);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.data.owner_id).toBe(ana.member.id);
    // Only the owner decides who sees it.
    expect((await api(t, 'PATCH', `/api/v1/views/${id}`, { scope: 'personal' }, admin.headers)).status).toBe(403);
    expect((await api(t, 'DELETE', `/api/v1/views/${id}`, undefined, admin.headers)).status).toBe(204);
    expect(await listed(ben)).not.toContain('Billing, waiting');
  });

  it('answers 404 to another account and for unknown ids', async () => {
    const res = await create({ name: 'Shared urgent', scope: 'shared', filters: { priority: 'urgent' } }, ana);
    const ws = await t.otherWorkspace();
    const stranger = await login(t, ws.adminEmail, ws.adminPassword);
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'x' }], ['DELETE', undefined]] as const) {
      expect((await api(t, method, `/api/v1/views/${res.body.data.id}`, body, stranger.headers)).status).toBe(404);
      expect((await api(t, method, '/api/v1/views/0190a000-0000-7000-8000-000000000000', body, ana.headers)).status).toBe(404);
    }
    expect((await api<{ data: View[] }>(t, 'GET', '/api/v1/views', undefined, stranger.headers)).body.data).toEqual([]);
  });

  it('counts each view the member sees with the same filters as its list', async () => {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
    const start = async () => (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id })).body.data.id;
    const urgent = await start();
    await api(t, 'PATCH', `/api/v1/conversations/${urgent}`, { priority: 'urgent' });
    const mine = await start();
    await api(t, 'POST', `/api/v1/conversations/${mine}/assign`, { member_id: ben.member.id });
    await api(t, 'POST', `/api/v1/conversations/${mine}/tags`, { tag: 'refund' });
    const personal = (await create({ name: 'My refunds', filters: { assignee_id: 'me', tag: 'refund' } }, ben)).body.data.id;
    const search = (await create({ name: 'Quokka', scope: 'shared', filters: { q: 'quokka' } }, ben)).body.data.id;

    const counts = await api<Counts>(t, 'GET', '/api/v1/conversations/counts', undefined, ben.headers);
    expect(counts.status, counts.text).toBe(200);
    const byId = new Map(counts.body.data.views.map((v) => [v.id, v.count]));
    const shared = (await api<{ data: View[] }>(t, 'GET', '/api/v1/views', undefined, ben.headers)).body.data;
    expect([...byId.keys()].sort()).toEqual(shared.map((v) => v.id).sort());
    for (const view of shared) {
      const query = new URLSearchParams(Object.entries(view.filters).map(([k, v]) => [k, String(v)]));
      const page = await api<{ data: unknown[] }>(t, 'GET', `/api/v1/conversations?limit=100&${query}`, undefined, ben.headers);
      expect(byId.get(view.id), view.name).toBe(page.body.data.length);
    }
    expect(byId.get(personal)).toBe(1);
    expect(byId.get(search)).toBe(0);
    // Ana sees the shared view, not Ben's personal one.
    const anas = await api<Counts>(t, 'GET', '/api/v1/conversations/counts', undefined, ana.headers);
    expect(anas.body.data.views.map((v) => v.id)).not.toContain(personal);
  });
});
