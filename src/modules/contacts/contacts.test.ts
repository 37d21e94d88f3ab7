import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Contact {
  id: number;
  name: string | null;
  email: string | null;
  guest: boolean;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}
type One = { data: Contact; created?: boolean };
type Many = { data: Contact[]; pagination: { cursor: string | null; has_more: boolean } };

describe.each(DIALECTS)('contacts on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it("creates a contact with 201 and created: true, with seed 000's fields and seed 004's profile", async () => {
    const res = await api<One>(t, 'POST', '/api/v1/contacts', {
      email: 'jane@example.com',
      name: 'Jane Smith',
      metadata: { company: 'Acme Corp', plan: 'enterprise' },
    });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(true);
    expect(Object.keys(res.body.data).sort()).toEqual(
      [
        'created_at', 'email', 'guest', 'id', 'metadata', 'name', 'updated_at',
        'first_name', 'last_name', 'phone', 'avatar_url', 'organization_name', 'external_id', 'claimed_email',
      ].sort(),
    );
    expect(res.body.data).toMatchObject({
      name: 'Jane Smith',
      email: 'jane@example.com',
      guest: false,
      metadata: { company: 'Acme Corp', plan: 'enterprise' },
    });
    expect(Number.isInteger(res.body.data.id)).toBe(true);
    expect(res.body.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('finds the existing contact by email with 200 created: false and deep-merges its metadata', async () => {
    const first = await api<One>(t, 'POST', '/api/v1/contacts', {
      email: 'merge@example.com',
      metadata: { company: 'Acme', prefs: { lang: 'en', theme: 'dark' } },
    });
    const again = await api<One>(t, 'POST', '/api/v1/contacts', {
      email: 'MERGE@Example.COM',
      name: 'Max',
      metadata: { plan: 'pro', prefs: { theme: null, tz: 'UTC' } },
    });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(again.body.data.name).toBe('Max');
    expect(again.body.data.metadata).toEqual({ company: 'Acme', plan: 'pro', prefs: { lang: 'en', tz: 'UTC' } });
  });

  it('leaves updated_at alone when find-or-create changes nothing', async () => {
    const first = await api<One>(t, 'POST', '/api/v1/contacts', { email: 'same@example.com', name: 'Same' });
    const again = await api<One>(t, 'POST', '/api/v1/contacts', { email: 'same@example.com', name: 'Same' });
    expect(again.body.data.updated_at).toBe(first.body.data.updated_at);
  });

  it('creates a guest contact when no email is given, even with no body at all', async () => {
    const a = await api<One>(t, 'POST', '/api/v1/contacts', { name: 'Visitor' });
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({ email: null, guest: true, name: 'Visitor' });
    const b = await api<One>(t, 'POST', '/api/v1/contacts');
    expect(b.status).toBe(201);
    expect(b.body.data.guest).toBe(true);
    expect(b.body.data.id).not.toBe(a.body.data.id);
    // `email: null`, as seed 000 shows a guest's email, is the same as leaving it out.
    const c = await api<One>(t, 'POST', '/api/v1/contacts', { email: null, name: null });
    expect(c.status).toBe(201);
    expect(c.body.data).toMatchObject({ email: null, guest: true, name: null });
    expect((await api(t, 'PATCH', `/api/v1/contacts/${c.body.data.id}`, { email: null })).status).toBe(400);
  });

  it('keeps one contact per email under concurrent find-or-create', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api<One>(t, 'POST', '/api/v1/contacts', { email: 'race@example.com', metadata: { [`k${i}`]: i } }),
      ),
    );
    expect(new Set(results.map((r) => r.body.data.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const list = await api<Many>(t, 'GET', '/api/v1/contacts?email=race@example.com');
    expect(list.body.data).toHaveLength(1);
    expect(Object.keys(list.body.data[0].metadata).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
  });

  it('retrieves a contact by id and 404s for unknown ids and other accounts', async () => {
    const created = await api<One>(t, 'POST', '/api/v1/contacts', { email: 'get@example.com' });
    const got = await api<One>(t, 'GET', `/api/v1/contacts/${created.body.data.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(created.body.data);
    expect((await api(t, 'GET', '/api/v1/contacts/999999999')).status).toBe(404);
    const other = await t.otherWorkspace();
    const cross = await api(t, 'GET', `/api/v1/contacts/${created.body.data.id}`, undefined, other.auth);
    expect(cross.status).toBe(404);
    expect(errorOf(cross).code).toBe('NOT_FOUND');
    const crossPatch = await api(t, 'PATCH', `/api/v1/contacts/${created.body.data.id}`, { name: 'x' }, other.auth);
    expect(crossPatch.status).toBe(404);
  });

  it('filters by exact email and pages with an opaque cursor, newest first', async () => {
    for (let i = 0; i < 5; i++) await api(t, 'POST', '/api/v1/contacts', { email: `page${i}@example.com` });
    const exact = await api<Many>(t, 'GET', '/api/v1/contacts?email=Page3@Example.com');
    expect(exact.body.data.map((c) => c.email)).toEqual(['page3@example.com']);
    const none = await api<Many>(t, 'GET', '/api/v1/contacts?email=page3@example');
    expect(none.body.data).toEqual([]);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: Many } = await api<Many>(t, 'GET', url);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.pagination.cursor;
      expect(page.body.pagination.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    const all = await api<Many>(t, 'GET', '/api/v1/contacts?limit=100');
    expect(seen).toEqual(all.body.data.map((c) => c.id));
  });

  it('updates name, email and metadata with PATCH; null removes a metadata key', async () => {
    const c = await api<One>(t, 'POST', '/api/v1/contacts', {
      email: 'patch@example.com',
      name: 'Jane Smith',
      metadata: { plan: 'enterprise', company: 'Acme Corp' },
    });
    const res = await api<One>(t, 'PATCH', `/api/v1/contacts/${c.body.data.id}`, {
      name: 'Jane Doe',
      metadata: { plan: 'pro', company: null },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Jane Doe', metadata: { plan: 'pro' } });
    expect(res.body.data.metadata).not.toHaveProperty('company');
    const moved = await api<One>(t, 'PATCH', `/api/v1/contacts/${c.body.data.id}`, { email: 'new@example.com' });
    expect(moved.body.data.email).toBe('new@example.com');
    const stored = await api<One>(t, 'GET', `/api/v1/contacts/${c.body.data.id}`);
    expect(stored.body.data).toEqual(moved.body.data);
  });

  it('refuses to give a contact an email another contact has, with 409, changing nothing', async () => {
    await api(t, 'POST', '/api/v1/contacts', { email: 'taken@example.com' });
    const c = await api<One>(t, 'POST', '/api/v1/contacts', { email: 'mine@example.com', name: 'Mine' });
    const res = await api(t, 'PATCH', `/api/v1/contacts/${c.body.data.id}`, { email: 'taken@example.com', name: 'Changed' });
    expect(res.status).toBe(409);
    expect(errorOf(res).code).toBe('CONFLICT');
    const stored = await api<One>(t, 'GET', `/api/v1/contacts/${c.body.data.id}`);
    expect(stored.body.data).toMatchObject({ email: 'mine@example.com', name: 'Mine' });
  });

  it('rejects bad input with 400 in the error envelope', async () => {
    const cases: Array<[unknown, string]> = [
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 42 }, 'email'],
      [{ metadata: 'x' }, 'metadata'],
      [{ metadata: [1, 2] }, 'metadata'],
      [{ name: 'x', nickname: 'y' }, 'nickname'],
    ];
    for (const [body, field] of cases) {
      const res = await api(t, 'POST', '/api/v1/contacts', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      expect(errorOf(res).details).toHaveProperty(field);
    }
    expect((await api(t, 'GET', '/api/v1/contacts/abc')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/contacts/1.5')).status).toBe(400);
  });

  it('refuses oversized or too-deep metadata with 422 and keeps the stored metadata', async () => {
    const c = await api<One>(t, 'POST', '/api/v1/contacts', { email: 'big@example.com', metadata: { keep: true } });
    const huge = await api(t, 'PATCH', `/api/v1/contacts/${c.body.data.id}`, { metadata: { blob: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(422);
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 12; i++) deep = { nested: deep };
    const tooDeep = await api(t, 'PATCH', `/api/v1/contacts/${c.body.data.id}`, { metadata: deep });
    expect(tooDeep.status).toBe(422);
    const stored = await api<One>(t, 'GET', `/api/v1/contacts/${c.body.data.id}`);
    expect(stored.body.data.metadata).toEqual({ keep: true });
  });
});
