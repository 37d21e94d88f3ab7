import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openSecondHandle, openTestDatabase, type TestDatabase } from '../../../test/helpers.js';
import type { Database } from '../../shared/db/database.js';
import { createServices, type Services } from '../../services.js';
import { KnowledgeIndex } from './knowledge.index.js';
import { createKnowledgeRetriever } from './knowledge.search.js';

describe('the in-memory knowledge index', () => {
  const chunk = (chunk_id: number, title: string, content: string) => ({
    chunk_id,
    document_id: `doc-${chunk_id}`,
    title,
    content,
    url: null,
  });

  it('finds a chunk by any word, stemmed: "returned" finds "returns"', () => {
    const index = new KnowledgeIndex([chunk(1, 'Returns', 'Send items back within 30 days.'), chunk(2, 'Shipping', 'We ship daily.')]);
    expect(index.search(['returned'], 5).map((c) => c.chunk_id)).toEqual([1]);
    expect(index.search(['shipped', 'returning'], 5).map((c) => c.chunk_id).sort()).toEqual([1, 2]);
    expect(index.search(['zeppelin'], 5)).toEqual([]);
  });

  it('weighs a title word above the same word in the text, and rarer words above common ones', () => {
    const index = new KnowledgeIndex([
      chunk(1, 'Delivery times', 'Orders arrive in three days. Refunds are covered elsewhere.'),
      chunk(2, 'Refunds', 'Orders are refunded to the card you paid with.'),
      chunk(3, 'Orders', 'Orders can be changed until they ship.'),
    ]);
    expect(index.search(['refunds'], 5).map((c) => c.chunk_id)).toEqual([2, 1]);
    // "orders" is in every chunk (IDF floored), "card" in one: the card chunk wins.
    expect(index.search(['orders', 'card'], 1).map((c) => c.chunk_id)).toEqual([2]);
  });

  it('returns at most `limit`, best first, equal scores by chunk id, with the chunk fields and score', () => {
    const chunks = Array.from({ length: 50 }, (_, i) => chunk(100 - i, `Topic ${i}`, 'The same warranty text in every chunk.'));
    const index = new KnowledgeIndex(chunks);
    const hits = index.search(['warranty'], 7);
    expect(hits.map((c) => c.chunk_id)).toEqual([51, 52, 53, 54, 55, 56, 57]);
    expect(hits[0]).toMatchObject({ document_id: 'doc-51', title: 'Topic 49', url: null });
    expect(hits[0].score).toBeGreaterThan(0);
    // Repeated searches reuse scratch space without leaking scores between them.
    expect(index.search(['warranty'], 7)).toEqual(hits);
    expect(index.search(['topic'], 0)).toEqual([]);
  });

  it('built over the previous index, re-reads only new or changed chunks and scores exactly as a fresh build', () => {
    const words = ['refund', 'parcel', 'warranty', 'invoice', 'password', 'delivery', 'battery', 'courier'];
    const text = (i: number) => `About the ${words[i % 8]} and the ${words[(i * 3) % 8]}: item ${i} ${'detail '.repeat(i % 5)}`;
    const before = Array.from({ length: 30 }, (_, i) => chunk(i + 1, `Topic ${words[i % 8]}`, text(i)));
    const previous = new KnowledgeIndex(before);
    expect(previous.analysed).toBe(30);
    const after = before
      .filter((c) => c.chunk_id !== 3) // a document removed
      .map((c) => (c.chunk_id === 5 ? { ...c, content: 'The zeppelin schedule.' } : c)) // same id, new text
      .map((c) => (c.chunk_id === 7 ? { ...c, url: 'https://example.com/7' } : c)) // the document's link changed
      .concat([chunk(31, 'Gift cards', 'Gift cards never expire.'), chunk(32, 'Courier', 'Our courier calls ahead.')]);
    const incremental = new KnowledgeIndex(after, previous);
    const fresh = new KnowledgeIndex(after);
    expect(incremental.analysed).toBe(3);
    expect(incremental.chars).toBe(fresh.chars);
    for (const terms of [['refund'], ['courier', 'parcel'], ['zeppelin'], ['gift', 'warranty', 'battery'], ['item', 'detail'], ['topic']]) {
      expect(incremental.search(terms, 50), terms.join(' ')).toEqual(fresh.search(terms, 50));
    }
    expect(incremental.search(['zeppelin'], 5).map((c) => c.chunk_id)).toEqual([5]);
    expect(incremental.search(['detail'], 50).map((c) => c.chunk_id)).not.toContain(3);
    expect(incremental.search(['item'], 50).find((c) => c.chunk_id === 7)?.url).toBe('https://example.com/7');
    // The previous index still answers as before: nothing was taken from it.
    expect(previous.search(['detail'], 50).map((c) => c.chunk_id)).toContain(3);
  });
});

describe.each(DIALECTS)('knowledge retrieval on %s', (dialect) => {
  let testDb: TestDatabase;
  let services: Services;
  let second: Database;
  let accountId: string;
  let agentId: string;

  beforeAll(async () => {
    testDb = await openTestDatabase(dialect);
    services = createServices({ database: testDb.database, config: { llm: null } });
    const ws = await services.workspaces.create({
      name: 'Retrieval',
      adminEmail: 'admin@example.com',
      adminPassword: 'correct horse battery staple',
      demo: false,
    });
    accountId = ws.account_id;
    agentId = ws.agent_id;
    // A second handle on the same storage: what another server process sees.
    second = openSecondHandle(dialect, testDb.location);
  });
  afterAll(async () => {
    await second.close();
    await testDb.cleanup();
  });

  const add = (title: string, body: string) => services.knowledge.createDocument(accountId, agentId, { title, body });

  it("sees another process's new, edited and deleted documents at its next search", async () => {
    const elsewhere = createKnowledgeRetriever({ database: second });
    const search = (q: string) => elsewhere.search(accountId, agentId, q, 5);
    expect(await search('lighthouse')).toEqual([]);
    const doc = await add('Lighthouse tours', 'Tours of the lighthouse start at dawn.');
    expect((await search('lighthouse'))[0]).toMatchObject({ document_id: doc.id, title: 'Lighthouse tours' });

    const admin = { kind: 'api_key' as const, accountId, agentId, keyId: 'test' };
    await services.knowledge.update(admin, agentId, doc.id, { body: 'Tours of the windmill start at dusk.' });
    expect((await search('windmill'))[0]?.document_id).toBe(doc.id);
    expect((await search('dawn')).map((p) => p.document_id)).not.toContain(doc.id);

    await services.knowledge.update(admin, agentId, doc.id, { url: 'https://example.com/tours' });
    expect((await search('windmill'))[0]?.url).toBe('https://example.com/tours');

    await services.knowledge.remove(admin, agentId, doc.id);
    expect(await search('windmill')).toEqual([]);
  });

  it('after a document changes, re-reads only that document: the other documents keep their terms', async () => {
    const retriever = createKnowledgeRetriever({ database: testDb.database });
    const search = (q: string) => retriever.search(accountId, agentId, q, 5);
    const docs = [];
    for (const name of ['Anchors', 'Buoys', 'Canoes']) docs.push(await add(name, `${name} are sold in the harbour shop.`));
    await search('harbour');
    const first = retriever.analysedChunks();
    expect(first).toBeGreaterThanOrEqual(3);
    const admin = { kind: 'api_key' as const, accountId, agentId, keyId: 'test' };
    const edited = await services.knowledge.update(admin, agentId, docs[1].id, { body: 'Buoys are sold at the marina.' });
    const itsChunks = await testDb.database.db
      .selectFrom('knowledge_chunks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('document_id', '=', edited.id)
      .executeTakeFirstOrThrow();
    expect((await search('marina'))[0]?.document_id).toBe(docs[1].id);
    expect(retriever.analysedChunks() - first).toBe(Number(itsChunks.n));
    expect((await search('harbour')).map((p) => p.document_id).sort()).toEqual([docs[0].id, docs[2].id].sort());
    for (const doc of docs) await services.knowledge.remove(admin, agentId, doc.id);
  });

  it('searches the database instead for an agent whose knowledge is over the per-agent limit, finding the same passages', async () => {
    const a = await add('Parking', 'Free parking is behind the station.');
    const b = await add('Bicycles', 'Bicycle parking is at the front door.');
    const inMemory = createKnowledgeRetriever({ database: testDb.database });
    const inDatabase = createKnowledgeRetriever({ database: testDb.database, limits: { maxCharsPerAgent: 10, maxCharsTotal: 100 } });
    const ids = async (r: typeof inMemory) => (await r.search(accountId, agentId, 'parking', 5)).map((p) => p.document_id).sort();
    expect(await ids(inMemory)).toEqual([a.id, b.id].sort());
    expect(await ids(inDatabase)).toEqual([a.id, b.id].sort());
    expect(inMemory.indexedChars()).toBeGreaterThan(0);
    expect(inDatabase.indexedChars()).toBe(0);
  });

  it('holds at most maxCharsTotal of knowledge, dropping the least recently searched agent first', async () => {
    const other = await services.workspaces.create({
      name: 'Other',
      adminEmail: 'other@example.com',
      adminPassword: 'correct horse battery staple',
      demo: false,
    });
    await services.knowledge.createDocument(other.account_id, other.agent_id, { title: 'Parking', body: 'x'.repeat(300) });
    const retriever = createKnowledgeRetriever({ database: testDb.database, limits: { maxCharsPerAgent: 10_000, maxCharsTotal: 400 } });
    await retriever.search(accountId, agentId, 'parking', 5);
    const first = retriever.indexedChars();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(400);
    expect((await retriever.search(other.account_id, other.agent_id, 'parking', 5))).toHaveLength(1);
    expect(retriever.indexedChars()).toBeLessThanOrEqual(400);
    expect(retriever.indexedChars()).not.toBe(first);
    // The dropped agent is indexed again on demand, still with its answers.
    expect((await retriever.search(accountId, agentId, 'parking', 5)).length).toBeGreaterThan(0);
  });

  it('finds nothing for an unknown agent or for a query with no words', async () => {
    const retriever = createKnowledgeRetriever({ database: testDb.database });
    expect(await retriever.search(accountId, '00000000-0000-4000-8000-000000000000', 'parking', 5)).toEqual([]);
    expect(await retriever.search(accountId, agentId, '!!! ?', 5)).toEqual([]);
  });
});
