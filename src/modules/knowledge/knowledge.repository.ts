import { sql } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { KnowledgeChunksTable, KnowledgeDocumentsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type DocumentRow = KnowledgeDocumentsTable;
export type NewChunkRow = Omit<KnowledgeChunksTable, 'id'>;

/** A chunk that matched a full-text query; `score` is higher for better matches. */
export interface ChunkMatch {
  chunk_id: number;
  document_id: string;
  title: string;
  content: string;
  url: string | null;
  score: number;
}

/** Rows per INSERT, well under SQLite's bound-parameter limit. */
const INSERT_BATCH = 200;

export function createKnowledgeRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  return {
    async insertDocument(row: DocumentRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('knowledge_documents').values(row).execute();
    },

    async insertChunks(rows: NewChunkRow[], executor: Executor = db): Promise<void> {
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        await executor.insertInto('knowledge_chunks').values(rows.slice(i, i + INSERT_BATCH)).execute();
      }
    },

    async deleteChunks(accountId: string, documentId: string, executor: Executor = db): Promise<void> {
      await executor
        .deleteFrom('knowledge_chunks')
        .where('account_id', '=', accountId)
        .where('document_id', '=', documentId)
        .execute();
    },

    /**
     * One document of an agent. `forUpdate` locks the row until the transaction ends (PostgreSQL;
     * SQLite serialises writers anyway), so two edits of one document cannot interleave.
     */
    async findDocument(
      accountId: string,
      agentId: string,
      id: string,
      opts: { executor?: Executor; forUpdate?: boolean } = {},
    ): Promise<DocumentRow | undefined> {
      let q = (opts.executor ?? db)
        .selectFrom('knowledge_documents')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('agent_id', '=', agentId)
        .where('id', '=', id);
      if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
      return q.executeTakeFirst();
    },

    /** An agent's documents, oldest first, `limit + 1` rows so the caller knows whether more follow. */
    async listDocuments(
      accountId: string,
      agentId: string,
      opts: { after: CursorValue[] | null; limit: number },
    ): Promise<DocumentRow[]> {
      let q = db
        .selectFrom('knowledge_documents')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('agent_id', '=', agentId);
      if (opts.after) q = q.where(afterKey(['created_at', 'id'], opts.after, 'asc'));
      return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(opts.limit + 1).execute();
    },

    async updateDocument(
      accountId: string,
      id: string,
      patch: Partial<Omit<DocumentRow, 'id' | 'account_id' | 'agent_id'>>,
      executor: Executor = db,
    ): Promise<void> {
      await executor
        .updateTable('knowledge_documents')
        .set(patch)
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .execute();
    },

    /** Deletes a document (its chunks and their index entries follow by cascade); false if none. */
    async deleteDocument(accountId: string, agentId: string, id: string, executor: Executor = db): Promise<boolean> {
      const res = await executor
        .deleteFrom('knowledge_documents')
        .where('account_id', '=', accountId)
        .where('agent_id', '=', agentId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    /** Marks the agent's knowledge as changed; call in the transaction that changes it. */
    async bumpRevision(accountId: string, agentId: string, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('agents')
        .set((eb) => ({ knowledge_revision: eb('knowledge_revision', '+', 1) }))
        .where('account_id', '=', accountId)
        .where('id', '=', agentId)
        .execute();
    },

    /** The agent's knowledge revision, or undefined when there is no such agent. */
    async revision(accountId: string, agentId: string): Promise<number | undefined> {
      const row = await db
        .selectFrom('agents')
        .select('knowledge_revision')
        .where('account_id', '=', accountId)
        .where('id', '=', agentId)
        .executeTakeFirst();
      return row ? Number(row.knowledge_revision) : undefined;
    },

    /** How much knowledge an agent has: chunks, and characters of title and content. */
    async measure(accountId: string, agentId: string): Promise<{ chunks: number; chars: number }> {
      const row = await db
        .selectFrom('knowledge_chunks')
        .select((eb) => [
          eb.fn.countAll<number>().as('chunks'),
          eb.fn.coalesce(eb.fn.sum<number>(sql<number>`length(title) + length(content)`), eb.lit(0)).as('chars'),
        ])
        .where('account_id', '=', accountId)
        .where('agent_id', '=', agentId)
        .executeTakeFirstOrThrow();
      return { chunks: Number(row.chunks), chars: Number(row.chars) };
    },

    /** Every chunk of an agent's knowledge with its document's url, in id order (in-memory indexing). */
    async allChunks(accountId: string, agentId: string): Promise<Omit<ChunkMatch, 'score'>[]> {
      const rows = await db
        .selectFrom('knowledge_chunks as c')
        .innerJoin('knowledge_documents as d', (j) => j.onRef('d.account_id', '=', 'c.account_id').onRef('d.id', '=', 'c.document_id'))
        .select(['c.id as chunk_id', 'c.document_id', 'c.title', 'c.content', 'd.url'])
        .where('c.account_id', '=', accountId)
        .where('c.agent_id', '=', agentId)
        .orderBy('c.id', 'asc')
        .execute();
      return rows.map((r) => ({ ...r, chunk_id: Number(r.chunk_id) }));
    },

    async countChunks(accountId: string, documentId: string): Promise<number> {
      const row = await db
        .selectFrom('knowledge_chunks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('document_id', '=', documentId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /**
     * The agent's chunks matching ANY of `terms` (letters and digits only, see searchTerms), best
     * first. Titles weigh more than content: bm25 column weights on SQLite, tsvector weight A on
     * PostgreSQL. Each engine stems the terms with its own English stemmer.
     */
    async searchChunks(accountId: string, agentId: string, terms: string[], limit: number): Promise<ChunkMatch[]> {
      const safe = terms.filter((t) => /^[\p{L}\p{N}]+$/u.test(t));
      if (safe.length === 0 || limit < 1) return [];
      if (dialect === 'postgres') {
        const query = safe.join(' | ');
        const { rows } = await sql<ChunkMatch>`
          select c.id as chunk_id, c.document_id, c.title, c.content, d.url, ts_rank(c.tsv, q.query) as score
          from knowledge_chunks c
          cross join to_tsquery('english', ${query}) as q(query)
          join knowledge_documents d on d.account_id = c.account_id and d.id = c.document_id
          where c.account_id = ${accountId} and c.agent_id = ${agentId} and c.tsv @@ q.query
          order by score desc, c.id asc
          limit ${limit}`.execute(db);
        return rows.map((r) => ({ ...r, chunk_id: Number(r.chunk_id), score: Number(r.score) }));
      }
      const match = safe.map((t) => `"${t}"`).join(' OR ');
      // Ranks (id, score) pairs first and reads the text and url of the best `limit` only: sorting
      // every matching chunk's content, and a document lookup each, was most of a reply's time
      // with a 1,000-document knowledge base (the benchmark's sync-message case).
      const { rows } = await sql<ChunkMatch>`
        select c.id as chunk_id, c.document_id, c.title, c.content, d.url, r.score
        from (
          select m.id, -bm25(knowledge_chunks_fts, 4.0, 1.0) as score
          from knowledge_chunks_fts
          join knowledge_chunks m on m.id = knowledge_chunks_fts.rowid
          where knowledge_chunks_fts match ${match} and m.account_id = ${accountId} and m.agent_id = ${agentId}
          order by score desc, m.id asc
          limit ${limit}
        ) r
        join knowledge_chunks c on c.id = r.id
        join knowledge_documents d on d.account_id = c.account_id and d.id = c.document_id
        order by r.score desc, c.id asc`.execute(db);
      return rows;
    },
  };
}

export type KnowledgeRepository = ReturnType<typeof createKnowledgeRepository>;
