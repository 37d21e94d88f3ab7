import { parseJsonObject } from '../../shared/json/json.js';
import type { ExportRow } from './exports.repository.js';
import type { ExportFilters } from './exports.rows.js';

/** Where a finished export is downloaded: the token is the credential, so curl can fetch it as it is. */
export const downloadUrlOf = (row: Pick<ExportRow, 'id' | 'download_token'>) => `/api/v1/exports/${row.id}/download?token=${row.download_token}`;

/** An export as the API shows it: never its file's path; the link only while it works. */
export function presentExport(row: ExportRow, now: Date = new Date()) {
  const lapsed = row.status === 'done' && (row.expires_at === null || row.expires_at <= now.toISOString());
  const linkWorks = row.status === 'done' && !lapsed && row.download_token !== null;
  return {
    id: row.id,
    resource: row.resource,
    format: row.format,
    filters: parseJsonObject(row.filters) as ExportFilters,
    // Its file is deleted by the next run of the worker; it is expired from the moment the link stops.
    status: lapsed ? ('expired' as const) : row.status,
    row_count: Number(row.row_count),
    requested_by: { type: row.requested_by_type, id: row.requested_by_id },
    download_url: linkWorks ? downloadUrlOf(row) : null,
    error: row.error,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    expires_at: row.expires_at,
  };
}

export type ExportView = ReturnType<typeof presentExport>;
