import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface CannedResponse {
  id: string;
  shortcut: string;
  title: string;
  content: string;
  scope: 'workspace' | 'personal';
  owner_id: string | null;
  created_at: string;
  updated_at: string;
}

/** Issue 16: replies kept under a shortcut, for the whole workspace (admins) or one member. */
describe.each(DIALECTS)('canned responses on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let tom: TestSession;
  let ana: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    for (const name of ['Tom', 'Ana']) {
      const created = await createMember(t, { admin, name, role: 'agent' });
      const session = await login(t, created.email, created.password);
      if (name === 'Tom') tom = session;
      else ana = session;
    }
  });
  afterAll(async () => t.close());

  const create = (who: TestSession, body: Record<string, unknown>) => api<{ data: CannedResponse }>(t, 'POST', '/api/v1/canned_responses', body, who.headers);
  const list = async (who: TestSession, query = '') =>
    (await api<{ data: CannedResponse[] }>(t, 'GET', `/api/v1/canned_responses?limit=100${query}`, undefined, who.headers)).body.data;

  it('refuses bad input first, in plain words, and never with a 500', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ shortcut: 'Refund Policy', content: 'x' }, 'shortcut'],
      [{ shortcut: '', content: 'x' }, 'shortcut'],
      [{ shortcut: 'a'.repeat(33), content: 'x' }, 'shortcut'],
      [{ shortcut: 'ok', content: '   ' }, 'content'],
      [{ shortcut: 'ok', content: 'x'.repeat(5001) }, 'content'],
      [{ shortcut: 'ok', title: 't'.repeat(101), content: 'x' }, 'title'],
    ];
    for (const [body, field] of cases) {
      const res = await create(tom, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      expect(errorOf(res).details).toHaveProperty(field);
      expect(errorOf(res).message).not.toMatch(/pattern|must NOT/);
    }
    expect(errorOf(await create(tom, { shortcut: 'Refund Policy', content: 'x' })).message).toMatch(/lower-case letters, digits, dashes or underscores/);
    for (const bad of [{ content: 'x' }, { shortcut: 'x' }, { shortcut: 'x', content: 'y', scope: 'team' }, { shortcut: 'x', content: 'y', extra: 1 }]) {
      const res = await create(tom, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
  });

  it('lets admins manage the workspace’s responses and agents only read them (403)', async () => {
    const made = await create(admin, { shortcut: 'refund', title: 'Refund policy', content: 'Hi {{contact.first_name}}, refunds take 5 days.', scope: 'workspace' });
    expect(made.status, made.text).toBe(201);
    expect(made.body.data).toMatchObject({ shortcut: 'refund', title: 'Refund policy', scope: 'workspace', owner_id: null });
    const id = made.body.data.id;
    expect((await create(tom, { shortcut: 'team-hello', content: 'Hello', scope: 'workspace' })).status).toBe(403);
    expect((await api(t, 'PATCH', `/api/v1/canned_responses/${id}`, { title: 'Mine now' }, tom.headers)).status).toBe(403);
    expect((await api(t, 'DELETE', `/api/v1/canned_responses/${id}`, undefined, tom.headers)).status).toBe(403);
    expect((await list(tom)).map((r) => r.id)).toContain(id);

    const patched = await api<{ data: CannedResponse }>(t, 'PATCH', `/api/v1/canned_responses/${id}`, { shortcut: '/refunds', title: ' Refunds ' }, admin.headers);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data).toMatchObject({ shortcut: 'refunds', title: 'Refunds', content: made.body.data.content });
    expect((await api(t, 'DELETE', `/api/v1/canned_responses/${id}`, undefined, admin.headers)).status).toBe(204);
    expect((await list(tom)).map((r) => r.id)).not.toContain(id);
  });

  it('keeps personal responses to their owner: others get 404 and never see them listed', async () => {
    const mine = await create(tom, { shortcut: 'sign-off', content: 'Best, {{member.first_name}}' });
    expect(mine.status, mine.text).toBe(201);
    expect(mine.body.data).toMatchObject({ scope: 'personal', owner_id: tom.member.id, title: '' });
    const id = mine.body.data.id;
    expect((await list(tom)).map((r) => r.id)).toContain(id);
    expect((await list(ana)).map((r) => r.id)).not.toContain(id);
    expect((await list(admin)).map((r) => r.id)).not.toContain(id);
    for (const who of [ana, admin]) {
      expect((await api(t, 'PATCH', `/api/v1/canned_responses/${id}`, { content: 'Taken' }, who.headers)).status).toBe(404);
      expect((await api(t, 'DELETE', `/api/v1/canned_responses/${id}`, undefined, who.headers)).status).toBe(404);
    }
    const changed = await api<{ data: CannedResponse }>(t, 'PATCH', `/api/v1/canned_responses/${id}`, { content: 'Cheers, {{member.first_name}}' }, tom.headers);
    expect(changed.body.data.content).toBe('Cheers, {{member.first_name}}');
    expect((await api(t, 'DELETE', `/api/v1/canned_responses/${id}`, undefined, tom.headers)).status).toBe(204);
    expect((await api(t, 'DELETE', `/api/v1/canned_responses/${id}`, undefined, tom.headers)).status).toBe(404);
  });

  it('answers 404 to another account and 403 to API keys', async () => {
    const made = await create(admin, { shortcut: 'hours', content: 'We answer 9 to 5.', scope: 'workspace' });
    const id = made.body.data.id;
    const ws = await t.otherWorkspace();
    const outsider = await login(t, ws.adminEmail, ws.adminPassword);
    expect((await list(outsider)).map((r) => r.id)).not.toContain(id);
    expect((await api(t, 'PATCH', `/api/v1/canned_responses/${id}`, { title: 'x' }, outsider.headers)).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/v1/canned_responses/${id}`, undefined, outsider.headers)).status).toBe(404);
    expect((await api(t, 'GET', '/api/v1/canned_responses')).status).toBe(403);
    expect((await api(t, 'POST', '/api/v1/canned_responses', { shortcut: 'key', content: 'x' })).status).toBe(403);
    expect((await api(t, 'DELETE', `/api/v1/canned_responses/${id}`)).status).toBe(403);
  });

  it('keeps shortcuts unique within a scope and per owner (409), not across them', async () => {
    expect((await create(admin, { shortcut: 'thanks', content: 'Thanks!', scope: 'workspace' })).status).toBe(201);
    const again = await create(admin, { shortcut: 'thanks', content: 'Thanks again', scope: 'workspace' });
    expect(again.status).toBe(409);
    expect(errorOf(again)).toMatchObject({ code: 'CONFLICT', details: { shortcut: ['is already taken'] } });
    // A personal response may share the workspace's shortcut, and two members may each have one.
    expect((await create(tom, { shortcut: 'thanks', content: 'Tom says thanks' })).status).toBe(201);
    expect((await create(ana, { shortcut: 'thanks', content: 'Ana says thanks' })).status).toBe(201);
    expect((await create(tom, { shortcut: 'thanks', content: 'Twice' })).status).toBe(409);
    const other = await create(tom, { shortcut: 'other', content: 'Other' });
    const renamed = await api(t, 'PATCH', `/api/v1/canned_responses/${other.body.data.id}`, { shortcut: 'thanks' }, tom.headers);
    expect(renamed.status).toBe(409);
  });

  it('searches shortcut, title and content with q, and pages by shortcut', async () => {
    await create(ana, { shortcut: 'shipping', title: 'Where is my parcel', content: 'Parcels leave within two days.' });
    await create(ana, { shortcut: 'returns', title: 'Returns', content: 'Send it back within 30 days, 100% free.' });
    expect((await list(ana, '&q=PARCEL')).map((r) => r.shortcut)).toEqual(['shipping']);
    expect((await list(ana, '&q=ship')).map((r) => r.shortcut)).toEqual(['shipping']);
    expect((await list(ana, '&q=100%25')).map((r) => r.shortcut)).toEqual(['returns']);
    expect(await list(ana, '&q=nothing-like-this')).toEqual([]);
    const all = await list(ana);
    const shortcuts = all.map((r) => r.shortcut);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: CannedResponse[]; pagination: { cursor: string | null } } } = await api(
        t,
        'GET',
        `/api/v1/canned_responses?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        ana.headers,
      );
      seen.push(...page.body.data.map((r) => r.shortcut));
      cursor = page.body.pagination.cursor;
    } while (cursor);
    expect(seen).toEqual(shortcuts);
    expect((await api(t, 'GET', '/api/v1/canned_responses?cursor=bogus', undefined, ana.headers)).status).toBe(400);
  });
});
