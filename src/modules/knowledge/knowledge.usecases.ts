import { requireAdminOrKey } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { Database, Executor } from '../../shared/db/database.js';
import { badRequest, notFound } from '../../shared/errors/errors.js';
import { summaryMessage } from '../../shared/http/validation-messages.js';
import { uuidv7 } from '../../shared/ids.js';
import { decodeCursor, DEFAULT_LIMIT, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { AgentsUseCases } from '../agents/agents.usecases.js';
import { chunkDocument } from './knowledge.chunking.js';
import { presentDocument, type PresentedDocument } from './knowledge.presenters.js';
import type { DocumentRow, KnowledgeRepository } from './knowledge.repository.js';
import type { DocumentInput, DocumentPatch } from './knowledge.schemas.js';

export interface KnowledgeDeps {
  database: Database;
  knowledge: KnowledgeRepository;
  agents: AgentsUseCases;
}

/** Rules the schema cannot say: a title or body of only spaces, and links that are not web pages. */
function checkInput(input: DocumentPatch): void {
  const details: Record<string, string[]> = {};
  if (input.title !== undefined && input.title.trim() === '') details.title = ['cannot be blank'];
  if (input.body !== undefined && input.body.trim() === '') details.body = ['cannot be blank'];
  if (input.url !== undefined && input.url !== null && !isWebUrl(input.url)) details.url = ['must be a web address starting with http:// or https://'];
  // Worded like the schema's own refusals: "title cannot be blank".
  if (Object.keys(details).length) throw badRequest(summaryMessage(details), details);
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function createKnowledgeUseCases({ database, knowledge, agents }: KnowledgeDeps) {
  /** Splits a document's text into the chunk rows that make it searchable. */
  function chunkRows(row: DocumentRow) {
    return chunkDocument(row.title, row.body).map((c) => ({
      account_id: row.account_id,
      agent_id: row.agent_id,
      document_id: row.id,
      position: c.position,
      title: c.title,
      content: c.content,
    }));
  }

  /** Writes a document and its chunks together: search never sees half a document. */
  async function insertDocument(accountId: string, agentId: string, input: DocumentInput, executor?: Executor) {
    checkInput(input);
    const now = nowIso();
    const row: DocumentRow = {
      id: uuidv7(),
      account_id: accountId,
      agent_id: agentId,
      title: input.title.trim(),
      body: input.body,
      url: input.url ?? null,
      chunk_count: 0,
      created_at: now,
      updated_at: now,
    };
    const chunks = chunkRows(row);
    row.chunk_count = chunks.length;
    const write = async (trx: Executor) => {
      await knowledge.insertDocument(row, trx);
      await knowledge.insertChunks(chunks, trx);
      await knowledge.bumpRevision(accountId, agentId, trx);
    };
    if (executor) await write(executor);
    else await database.db.transaction().execute(write);
    return presentDocument(row);
  }

  async function visibleDocument(principal: Principal, agentId: string, documentId: string): Promise<DocumentRow> {
    await agents.getVisibleAgent(principal, agentId);
    const row = await knowledge.findDocument(principal.accountId, agentId, documentId);
    if (!row) throw notFound('document');
    return row;
  }

  return {
    async list(principal: Principal, agentId: string, query: { cursor?: string; limit?: number }) {
      await agents.getVisibleAgent(principal, agentId);
      const limit = query.limit ?? DEFAULT_LIMIT;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await knowledge.listDocuments(principal.accountId, agentId, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentDocument);
    },

    async get(principal: Principal, agentId: string, documentId: string): Promise<PresentedDocument> {
      return presentDocument(await visibleDocument(principal, agentId, documentId));
    },

    /** Writes are for admins and API keys; members with the `agent` role read only (403). */
    async create(principal: Principal, agentId: string, body: DocumentInput): Promise<PresentedDocument> {
      requireAdminOrKey(principal);
      await agents.getVisibleAgent(principal, agentId);
      return insertDocument(principal.accountId, agentId, body);
    },

    /** Changes title, body or url; a new title or body re-chunks the document in the same transaction. */
    async update(principal: Principal, agentId: string, documentId: string, patch: DocumentPatch) {
      requireAdminOrKey(principal);
      checkInput(patch);
      await agents.getVisibleAgent(principal, agentId);
      const accountId = principal.accountId;
      return database.db.transaction().execute(async (trx) => {
        const row = await knowledge.findDocument(accountId, agentId, documentId, { executor: trx, forUpdate: true });
        if (!row) throw notFound('document');
        const next: DocumentRow = { ...row };
        if (patch.title !== undefined) next.title = patch.title.trim();
        if (patch.body !== undefined) next.body = patch.body;
        if (patch.url !== undefined) next.url = patch.url;
        const textChanged = next.title !== row.title || next.body !== row.body;
        if (!textChanged && next.url === row.url) return presentDocument(row);
        if (textChanged) {
          const chunks = chunkRows(next);
          await knowledge.deleteChunks(accountId, documentId, trx);
          await knowledge.insertChunks(chunks, trx);
          next.chunk_count = chunks.length;
        }
        next.updated_at = nowIso();
        await knowledge.bumpRevision(accountId, agentId, trx);
        await knowledge.updateDocument(
          accountId,
          documentId,
          { title: next.title, body: next.body, url: next.url, chunk_count: next.chunk_count, updated_at: next.updated_at },
          trx,
        );
        return presentDocument(next);
      });
    },

    async remove(principal: Principal, agentId: string, documentId: string): Promise<void> {
      requireAdminOrKey(principal);
      await agents.getVisibleAgent(principal, agentId);
      const deleted = await database.db.transaction().execute(async (trx) => {
        const found = await knowledge.deleteDocument(principal.accountId, agentId, documentId, trx);
        if (found) await knowledge.bumpRevision(principal.accountId, agentId, trx);
        return found;
      });
      if (!deleted) throw notFound('document');
    },

    /**
     * Adds a document for a trusted caller (workspace seeding, the evaluation), without a principal.
     * Pass `executor` to write inside the caller's transaction.
     */
    createDocument(
      accountId: string,
      agentId: string,
      input: DocumentInput,
      executor?: Executor,
    ): Promise<PresentedDocument> {
      return insertDocument(accountId, agentId, input, executor);
    },
  };
}

export type KnowledgeUseCases = ReturnType<typeof createKnowledgeUseCases>;
