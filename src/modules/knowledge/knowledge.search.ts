import type { KnowledgeRetriever, Passage } from '../../ai/provider.js';
import { searchTerms } from '../../ai/builtin/text.js';
import type { Database } from '../../shared/db/database.js';
import { createKnowledgeRepository } from './knowledge.repository.js';

/** No caller needs more candidates than this; it bounds the work of one search. */
const MAX_RESULTS = 200;

/**
 * Full-text candidate retrieval over an agent's knowledge, on SQLite (FTS5) or PostgreSQL
 * (tsvector). A passage matches when it contains ANY topical word of the query, ranked by the
 * engine's relevance: recall first, since providers re-rank or read the candidates themselves.
 */
export function createKnowledgeRetriever({ database }: { database: Database }): KnowledgeRetriever {
  const repo = createKnowledgeRepository({ db: database.db, dialect: database.dialect });
  return {
    async search(accountId: string, agentId: string, query: string, limit: number): Promise<Passage[]> {
      const terms = searchTerms(query);
      const rows = await repo.searchChunks(accountId, agentId, terms, Math.min(Math.max(1, limit), MAX_RESULTS));
      return rows.map((r) => ({
        document_id: r.document_id,
        chunk_id: r.chunk_id,
        title: r.title,
        url: r.url,
        content: r.content,
        score: r.score,
      }));
    },
  };
}
