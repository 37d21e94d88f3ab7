import type { KnowledgeRetriever, Passage } from '../../ai/provider.js';
import { searchTerms } from '../../ai/builtin/text.js';
import type { Database } from '../../shared/db/database.js';
import { KnowledgeIndex } from './knowledge.index.js';
import { createKnowledgeRepository, type ChunkMatch } from './knowledge.repository.js';

/** No caller needs more candidates than this; it bounds the work of one search. */
const MAX_RESULTS = 200;

/** Memory bounds of the in-memory indexes (characters of knowledge text held). */
export interface KnowledgeIndexLimits {
  /** An agent with more knowledge than this is searched in the database instead. */
  maxCharsPerAgent: number;
  /** All indexes together; the least recently used agents' indexes are dropped beyond it. */
  maxCharsTotal: number;
}

const DEFAULT_LIMITS: KnowledgeIndexLimits = { maxCharsPerAgent: 16_000_000, maxCharsTotal: 64_000_000 };

interface CachedIndex {
  revision: number;
  /** null: too large to hold, search the database. */
  index: KnowledgeIndex | null;
}

/**
 * Candidate retrieval over an agent's knowledge: a passage matches when it contains ANY topical
 * word of the query, best first by BM25 — recall first, since providers re-rank or read the
 * candidates themselves.
 *
 * Each agent's knowledge is indexed in memory (KnowledgeIndex) on its first search and kept while
 * the agent's knowledge revision is unchanged: one indexed read of the agent row per search tells
 * whether a document was added, edited or removed since, by this process or another one. The same
 * index serves SQLite and PostgreSQL, so answers do not depend on the database. An agent with more
 * knowledge than `maxCharsPerAgent` is searched with the database's full-text index instead
 * (FTS5 / tsvector).
 */
export function createKnowledgeRetriever({
  database,
  limits = DEFAULT_LIMITS,
}: {
  database: Database;
  limits?: KnowledgeIndexLimits;
}): KnowledgeRetriever & { indexedChars(): number; analysedChunks(): number } {
  const repo = createKnowledgeRepository({ db: database.db, dialect: database.dialect });
  /** By agent, least recently used first. */
  const cache = new Map<string, CachedIndex>();
  /** Builds in progress, so concurrent first searches share one. */
  const building = new Map<string, Promise<CachedIndex>>();
  /** Revision reads just started: a reply's parallel searches share one read. */
  const reading = new Map<string, Promise<number | undefined>>();
  let heldChars = 0;
  let analysedChunks = 0;

  const cacheKey = (accountId: string, agentId: string) => `${accountId}/${agentId}`;

  function remember(key: string, entry: CachedIndex) {
    forget(key);
    cache.set(key, entry);
    if (entry.index) heldChars += entry.index.chars;
    for (const [k, v] of cache) {
      if (heldChars <= limits.maxCharsTotal || k === key) break;
      cache.delete(k);
      if (v.index) heldChars -= v.index.chars;
    }
  }

  function forget(key: string) {
    const old = cache.get(key);
    if (old?.index) heldChars -= old.index.chars;
    cache.delete(key);
  }

  async function build(accountId: string, agentId: string, revision: number, previous?: KnowledgeIndex): Promise<CachedIndex> {
    const size = await repo.measure(accountId, agentId);
    if (size.chars > limits.maxCharsPerAgent) return { revision, index: null };
    const index = new KnowledgeIndex(await repo.allChunks(accountId, agentId), previous);
    analysedChunks += index.analysed;
    return { revision, index };
  }

  /** The agent's current index (null: search the database), or undefined when there is no such agent. */
  async function indexFor(accountId: string, agentId: string): Promise<CachedIndex | undefined> {
    const key = cacheKey(accountId, agentId);
    // Read before the chunks are: a change committed in between raises the revision again, so
    // the index built here is replaced at the next search rather than kept stale.
    let read = reading.get(key);
    if (!read) {
      read = repo.revision(accountId, agentId);
      reading.set(key, read);
      // Shared only by searches started in the same synchronous run (a reply's parallel
      // searches): a later search must not take a read begun before a change it awaited.
      queueMicrotask(() => reading.delete(key));
    }
    const revision = await read;
    if (revision === undefined) {
      forget(key);
      return undefined;
    }
    const cached = cache.get(key);
    if (cached && cached.revision === revision) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    let pending = building.get(key);
    if (!pending) {
      // The index being replaced lends its unchanged chunks' terms to the new one.
      pending = build(accountId, agentId, revision, cached?.index ?? undefined)
        .then((entry) => {
          // Cached before the build is forgotten, so no search in between starts another one.
          if ((cache.get(key)?.revision ?? -1) < entry.revision) remember(key, entry);
          return entry;
        })
        .finally(() => building.delete(key));
      building.set(key, pending);
    }
    return pending;
  }

  const toPassage = (r: ChunkMatch): Passage => ({
    document_id: r.document_id,
    chunk_id: r.chunk_id,
    title: r.title,
    url: r.url,
    content: r.content,
    score: r.score,
  });

  return {
    async search(accountId: string, agentId: string, query: string, limit: number): Promise<Passage[]> {
      const terms = searchTerms(query);
      const bounded = Math.min(Math.max(1, limit), MAX_RESULTS);
      if (terms.length === 0) return [];
      const entry = await indexFor(accountId, agentId);
      if (!entry) return [];
      if (entry.index) return entry.index.search(terms, bounded).map(toPassage);
      return (await repo.searchChunks(accountId, agentId, terms, bounded)).map(toPassage);
    },

    /** Characters of knowledge held in memory now (tests, diagnostics). */
    indexedChars: () => heldChars,
    /** Chunks tokenised and stemmed by this retriever's index builds so far (tests, diagnostics). */
    analysedChunks: () => analysedChunks,
  };
}
