import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

interface Doc {
  id: string;
  agent_id: string;
  title: string;
  body: string;
  url: string | null;
  chunk_count: number;
  created_at: string;
  updated_at: string;
}
type One = { data: Doc };
type Many = { data: Doc[]; pagination: { cursor: string | null; has_more: boolean } };

const MISSING = '00000000-0000-4000-8000-000000000000';

/** A long help article: several sections of several paragraphs. */
function longArticle(): string {
  const sections: string[] = [];
  for (let s = 1; s <= 6; s++) {
    sections.push(`## Section ${s}`);
    for (let p = 1; p <= 3; p++) {
      sections.push(
        `Paragraph ${p} of section ${s} explains one more detail of the policy in plain words. ` +
          'Customers can read it on its own, and it ends with a full stop like any sentence should. '.repeat(3).trim(),
      );
    }
  }
  return sections.join('\n\n');
}

describe.each(DIALECTS)('knowledge documents on %s', (dialect) => {
  let t: TestApp;
  let base: string;
  const create = (body: unknown) => api<One>(t, 'POST', base, body);
  const search = (query: string) => t.services.retriever.search(t.workspace.accountId, t.workspace.agentId, query, 10);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    base = `/api/v1/agents/${t.workspace.agentId}/documents`;
  });
  afterAll(async () => t.close());

  it('creates a document with 201 and returns exactly the document fields', async () => {
    const res = await create({ title: 'Returns policy', body: 'You can return items within 30 days.', url: 'https://example.com/returns' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(
      ['agent_id', 'body', 'chunk_count', 'created_at', 'id', 'title', 'updated_at', 'url'].sort(),
    );
    expect(res.body.data).toMatchObject({
      agent_id: t.workspace.agentId,
      title: 'Returns policy',
      body: 'You can return items within 30 days.',
      url: 'https://example.com/returns',
      chunk_count: 1,
    });
    expect(res.body.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const got = await api<One>(t, 'GET', `${base}/${res.body.data.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(res.body.data);
  });

  it('stores a missing url as null and accepts an explicit null', async () => {
    const a = await create({ title: 'No link', body: 'Text.' });
    const b = await create({ title: 'Null link', body: 'Text.', url: null });
    expect(a.body.data.url).toBeNull();
    expect(b.body.data.url).toBeNull();
  });

  it.each([
    [{ body: 'x' }, 'title'],
    [{ title: 'x' }, 'body'],
    [{ title: '', body: 'x' }, 'title'],
    [{ title: '   ', body: 'x' }, 'title'],
    [{ title: 'x', body: ' \n ' }, 'body'],
    [{ title: 'x'.repeat(501), body: 'x' }, 'title'],
    [{ title: 'x', body: 'x', url: 'ftp://example.com/file' }, 'url'],
    [{ title: 'x', body: 'x', url: 'javascript:alert(1)' }, 'url'],
    [{ title: 'x', body: 'x', url: 'not a url' }, 'url'],
    [{ title: 'x', body: 'x', url: 42 }, 'url'],
    [{ title: 'x', body: 'x', tags: ['a'] }, 'tags'],
    [{ title: 1, body: 'x' }, 'title'],
  ])('rejects an invalid body %j with 400 naming `%s`', async (body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('BAD_REQUEST');
    expect(Object.keys(errorOf(res).details)).toContain(field);
  });

  it('rejects a body longer than 500,000 characters with 400', async () => {
    const res = await create({ title: 'Too long', body: 'a'.repeat(500_001) });
    expect(res.status).toBe(400);
    expect(errorOf(res).details).toHaveProperty('body');
  });

  it('rejects a malformed uuid in the path with 400', async () => {
    expect((await api(t, 'GET', '/api/v1/agents/not-a-uuid/documents')).status).toBe(400);
    expect((await api(t, 'GET', `${base}/not-a-uuid`)).status).toBe(400);
    expect((await api(t, 'DELETE', `${base}/123`)).status).toBe(400);
  });

  it('answers 404 for an unknown agent or document', async () => {
    expect((await api(t, 'GET', `/api/v1/agents/${MISSING}/documents`)).status).toBe(404);
    expect((await api(t, 'POST', `/api/v1/agents/${MISSING}/documents`, { title: 'x', body: 'x' })).status).toBe(404);
    const res = await api(t, 'GET', `${base}/${MISSING}`);
    expect(res.status).toBe(404);
    expect(errorOf(res)).toMatchObject({ code: 'NOT_FOUND', message: 'Document not found' });
  });

  it("never shows, changes or deletes another account's documents: always 404", async () => {
    const other = await t.otherWorkspace();
    const theirs = await api<One>(t, 'POST', `/api/v1/agents/${other.agentId}/documents`, { title: 'Secret', body: 'x' }, other.auth);
    expect(theirs.status).toBe(201);
    const theirDoc = `/api/v1/agents/${other.agentId}/documents/${theirs.body.data.id}`;
    expect((await api(t, 'GET', `/api/v1/agents/${other.agentId}/documents`)).status).toBe(404);
    expect((await api(t, 'POST', `/api/v1/agents/${other.agentId}/documents`, { title: 'x', body: 'x' })).status).toBe(404);
    expect((await api(t, 'GET', theirDoc)).status).toBe(404);
    expect((await api(t, 'PATCH', theirDoc, { title: 'Mine now' })).status).toBe(404);
    expect((await api(t, 'DELETE', theirDoc)).status).toBe(404);
    // Their document id under our own agent is no more visible.
    expect((await api(t, 'GET', `${base}/${theirs.body.data.id}`)).status).toBe(404);
    const still = await api<One>(t, 'GET', theirDoc, undefined, other.auth);
    expect(still.body.data.title).toBe('Secret');
  });

  it('updates title, body and url; a new body is re-chunked and updated_at moves', async () => {
    const created = await create({ title: 'Draft', body: 'Short text.', url: 'https://example.com/a' });
    await new Promise((r) => setTimeout(r, 5));
    const res = await api<One>(t, 'PATCH', `${base}/${created.body.data.id}`, { title: 'Final', body: longArticle(), url: null });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: created.body.data.id, title: 'Final', url: null, created_at: created.body.data.created_at });
    expect(res.body.data.chunk_count).toBeGreaterThan(1);
    expect(res.body.data.updated_at > created.body.data.updated_at).toBe(true);
    expect((await api<One>(t, 'GET', `${base}/${created.body.data.id}`)).body.data).toEqual(res.body.data);
  });

  it('leaves a document untouched by an empty or identical patch, and rejects unknown fields', async () => {
    const created = await create({ title: 'Same', body: 'Same body.' });
    const empty = await api<One>(t, 'PATCH', `${base}/${created.body.data.id}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body.data).toEqual(created.body.data);
    const same = await api<One>(t, 'PATCH', `${base}/${created.body.data.id}`, { title: 'Same' });
    expect(same.body.data.updated_at).toBe(created.body.data.updated_at);
    const bad = await api(t, 'PATCH', `${base}/${created.body.data.id}`, { chunk_count: 9 });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).details).toHaveProperty('chunk_count');
    expect((await api(t, 'PATCH', `${base}/${MISSING}`, { title: 'x' })).status).toBe(404);
  });

  it('deletes with 204 and no body, after which the document is gone', async () => {
    const created = await create({ title: 'Temporary', body: 'Soon gone.' });
    const res = await api(t, 'DELETE', `${base}/${created.body.data.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api(t, 'GET', `${base}/${created.body.data.id}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `${base}/${created.body.data.id}`)).status).toBe(404);
  });

  it('splits a large document into passages of at most about 1,200 characters, each with the title', async () => {
    const res = await create({ title: 'The long policy', body: longArticle() });
    expect(res.body.data.chunk_count).toBeGreaterThan(3);
    const chunks = await t.database.db
      .selectFrom('knowledge_chunks')
      .select(['title', 'content', 'position'])
      .where('account_id', '=', t.workspace.accountId)
      .where('document_id', '=', res.body.data.id)
      .orderBy('position')
      .execute();
    expect(chunks).toHaveLength(res.body.data.chunk_count);
    expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i));
    for (const c of chunks) {
      expect(c.title).toBe('The long policy');
      expect(c.content.length).toBeLessThanOrEqual(1300);
      expect(c.content.length).toBeGreaterThan(200);
    }
    // Every paragraph of the body is in exactly one passage.
    const all = chunks.map((c) => c.content).join('\n');
    expect(all.match(/Paragraph \d of section \d/g)).toHaveLength(18);
  });

  it('finds a passage by full-text search after create, and no longer after update or delete', async () => {
    const created = await create({ title: 'Gift wrapping', body: 'We wrap presents in recycled kraft paper with a ribbon.' });
    const hits = await search('kraft paper ribbon');
    expect(hits[0]).toMatchObject({ document_id: created.body.data.id, title: 'Gift wrapping' });
    expect(hits[0].content).toContain('kraft paper');

    await api(t, 'PATCH', `${base}/${created.body.data.id}`, { body: 'Presents come in a reusable cotton bag.' });
    expect((await search('kraft')).map((p) => p.document_id)).not.toContain(created.body.data.id);
    expect((await search('cotton bag'))[0].document_id).toBe(created.body.data.id);

    await api(t, 'DELETE', `${base}/${created.body.data.id}`);
    expect((await search('cotton bag')).map((p) => p.document_id)).not.toContain(created.body.data.id);
    const left = await t.database.db
      .selectFrom('knowledge_chunks')
      .select('id')
      .where('account_id', '=', t.workspace.accountId)
      .where('document_id', '=', created.body.data.id)
      .execute();
    expect(left).toHaveLength(0);
  });

  it("searches only the agent's own account", async () => {
    const other = await t.otherWorkspace();
    await api(t, 'POST', `/api/v1/agents/${other.agentId}/documents`, { title: 'Zeppelin rides', body: 'Zeppelin rides leave at noon.' }, other.auth);
    expect(await search('zeppelin')).toEqual([]);
    const theirs = await t.services.retriever.search(other.accountId, other.agentId, 'zeppelin', 5);
    expect(theirs).toHaveLength(1);
  });

  it('treats search input as words, never as query syntax', async () => {
    for (const q of ['"unbalanced', 'a AND OR NOT (', "it's -minus* col:umn", '!!! & | :* <->', '']) {
      await expect(search(q)).resolves.toBeInstanceOf(Array);
    }
  });
});

describe.each(DIALECTS)('paging knowledge documents on %s', (dialect) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    base = `/api/v1/agents/${t.workspace.agentId}/documents`;
    for (let i = 1; i <= 5; i++) await api(t, 'POST', base, { title: `Doc ${i}`, body: `Body ${i}.` });
  });
  afterAll(async () => t.close());

  it('pages through documents oldest first with cursors', async () => {
    const titles: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `${base}?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res: { status: number; body: Many } = await api<Many>(t, 'GET', url);
      expect(res.status).toBe(200);
      titles.push(...res.body.data.map((d) => d.title));
      cursor = res.body.pagination.cursor;
      expect(res.body.pagination.has_more).toBe(cursor !== null);
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(titles).toEqual(['Doc 1', 'Doc 2', 'Doc 3', 'Doc 4', 'Doc 5']);
  });

  it('defaults to 20 per page and says when there is no more', async () => {
    const res = await api<Many>(t, 'GET', base);
    expect(res.body.data).toHaveLength(5);
    expect(res.body.pagination).toEqual({ cursor: null, has_more: false });
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'cursor=not*a*cursor', 'cursor=eyJ4IjoxfQ', 'page=2'])(
    'rejects the query %s with 400',
    async (query) => {
      const res = await api(t, 'GET', `${base}?${query}`);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    },
  );
});
