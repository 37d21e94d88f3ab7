import fs from 'node:fs/promises';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../shared/auth/principal.js';
import { requireAdminOrKey } from '../../shared/auth/guards.js';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { contentTypeOf } from './exports.format.js';
import { presentExport, type ExportView } from './exports.presenters.js';
import type { ExportsRepository } from './exports.repository.js';
import { CONVERSATION_FILTERS, type ExportFilters } from './exports.rows.js';
import type { ExportFormat, ExportResource } from './exports.schemas.js';

/** Exports of one workspace waiting or being written at once; more is refused (409) until one finishes. */
export const MAX_UNFINISHED = 3;

/**
 * Who may export what (bulk exports are every conversation, contact or message of the workspace):
 * - admins: any resource; messages include internal notes, as admins read them in the inbox;
 * - API keys: any resource of their own account (integrations, backups); never notes, which
 *   API keys cannot read;
 * - agent members: no (403): they see the inbox, not a copy of the whole workspace.
 * The file is fetched with the link's token, without credentials, until it expires (24 hours).
 */
function requireExporter(principal: Principal): void {
  if (principal.kind === 'system') throw forbidden('Only admins and API keys can export data');
  requireAdminOrKey(principal);
}

/** The filters, checked against the resource and the account: each mistake is a 422 in plain words. */
async function checkFilters(exports: ExportsRepository, accountId: string, resource: ExportResource, filters: ExportFilters): Promise<ExportFilters> {
  const problems: Record<string, string[]> = {};
  if (resource === 'contacts') {
    for (const name of CONVERSATION_FILTERS) {
      if (filters[name] !== undefined) problems[`filters.${name}`] = ['does not apply to contacts (only since and until do)'];
    }
  }
  if (filters.since && filters.until && Date.parse(filters.since) >= Date.parse(filters.until)) {
    problems['filters.until'] = ['must be later than since'];
  }
  if (filters.agent_id && !problems['filters.agent_id'] && !(await exports.owns('agents', accountId, filters.agent_id))) {
    problems['filters.agent_id'] = ['is not an agent of this workspace'];
  }
  if (filters.channel_id && !problems['filters.channel_id'] && !(await exports.owns('channels', accountId, filters.channel_id))) {
    problems['filters.channel_id'] = ['is not a channel of this workspace'];
  }
  const first = Object.entries(problems)[0];
  if (first) throw unprocessable(`${first[0]} ${first[1][0]}`, problems);
  // Times are stored as Parley writes them (UTC, milliseconds), so they compare as text with created_at.
  const at = (t: string | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
  return Object.fromEntries(
    Object.entries({ ...filters, since: at(filters.since), until: at(filters.until) }).filter(([, v]) => v !== undefined),
  ) as ExportFilters;
}

export function createExportsUseCases({ exports, dir }: { exports: ExportsRepository; dir: string }) {
  return {
    /** Queues an export for the worker; 202 with its id. */
    async create(principal: Principal, input: { resource: ExportResource; format: ExportFormat; filters?: ExportFilters }): Promise<{ id: string; status: 'pending' }> {
      requireExporter(principal);
      const accountId = principal.accountId;
      const filters = await checkFilters(exports, accountId, input.resource, input.filters ?? {});
      if ((await exports.unfinishedCount(accountId)) >= MAX_UNFINISHED) {
        throw conflict(`${MAX_UNFINISHED} exports are already being written for this workspace; try again when one has finished`);
      }
      const now = new Date().toISOString();
      const id = uuidv7();
      await exports.insert({
        id,
        account_id: accountId,
        requested_by_type: principal.kind === 'member' ? 'member' : 'api_key',
        requested_by_id: principal.kind === 'member' ? principal.memberId : principal.kind === 'api_key' ? principal.keyId : null,
        resource: input.resource,
        format: input.format,
        filters: JSON.stringify(filters),
        status: 'pending',
        cursor: null,
        file_key: null,
        download_token: null,
        error: null,
        next_attempt_at: now,
        locked_until: null,
        created_at: now,
        updated_at: now,
        started_at: null,
        completed_at: null,
        expires_at: null,
      });
      return { id, status: 'pending' };
    },

    async get(principal: Principal, id: string): Promise<ExportView> {
      requireExporter(principal);
      const row = await exports.findById(principal.accountId, id);
      if (!row) throw notFound('export');
      return presentExport(row);
    },

    async list(principal: Principal, query: { cursor?: string; limit?: number }) {
      requireExporter(principal);
      const limit = query.limit ?? 20;
      const rows = await exports.list(principal.accountId, decodeCursor(query.cursor, ['string']), limit);
      return toPage(rows, limit, (r) => [r.id], (r) => presentExport(r));
    },

    /**
     * The file behind a download link, or 404 for every other case alike (unknown export, wrong
     * token, not finished, expired), so a link cannot be probed.
     */
    async download(id: string, token: string): Promise<{ file: string; filename: string; contentType: string; size: number }> {
      const row = await exports.findForDownload(id);
      const gone = () => new AppError('NOT_FOUND', 'Export not found, or its link has expired');
      if (!row || row.status !== 'done' || !row.download_token || !row.file_key || !row.expires_at) throw gone();
      const given = Buffer.from(token);
      const expected = Buffer.from(row.download_token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw gone();
      if (row.expires_at <= new Date().toISOString()) throw gone();
      const file = path.join(dir, row.file_key);
      const stat = await fs.stat(file).catch(() => null);
      if (!stat) throw gone();
      return {
        file,
        filename: `parley-${row.resource}-${row.created_at.slice(0, 10)}.${row.format === 'csv' ? 'csv' : 'ndjson'}`,
        contentType: contentTypeOf(row.format),
        size: stat.size,
      };
    },
  };
}

export type ExportsUseCases = ReturnType<typeof createExportsUseCases>;
