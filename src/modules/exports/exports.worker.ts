import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Database } from '../../shared/db/database.js';
import { runClaimed } from '../../shared/tasks/claimed-work.js';
import type { ExportRow, ExportsRepository } from './exports.repository.js';
import { encodeRows, headerOf } from './exports.format.js';
import { collectGarbageSoon } from './exports.memory.js';
import { rowSource, type ExportCursor, type ExportFilters } from './exports.rows.js';

/** How long a finished export's link works. */
export const LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** Bytes written between two requests for a garbage collection (exports.memory.ts). */
const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;
/** Claims of one export before it is given up as failed. */
export const MAX_ATTEMPTS = 5;

export interface ExportsWorkerOptions {
  database: Database;
  exports: ExportsRepository;
  /** Where files are written: PARLEY_DATA_DIR/exports. */
  dir: string;
  /** Rows read per query. */
  pageSize?: number;
  /** A claim lasts this long and is renewed at every checkpoint; a worker that dies is overtaken after it. */
  leaseMs?: number;
  /** Progress is saved (file synced, cursor stored) at most this often, and after the last page. */
  checkpointMs?: number;
  /** Called after each page is written, before its checkpoint (tests stop a run there, as a crash would). */
  onPage?: (exportId: string, rowsWritten: number) => void | Promise<void>;
}

/** The finished file's name under the exports folder. */
export const fileKeyOf = (row: Pick<ExportRow, 'id' | 'format'>) => `${row.id}.${row.format === 'csv' ? 'csv' : 'ndjson'}`;
/** Each claim writes its own partial file, so a worker overtaken while it still runs never writes into its successor's. */
const partName = (id: string, attempt: number) => `${id}.${attempt}.part`;
const PART = /^(.+)\.(\d+)\.part$/;

/**
 * Writes claimed exports to files, one page at a time, in constant memory: each page is read by
 * keyset after the last row written, encoded, and appended; every `checkpointMs` the file is
 * synced and the cursor, row count and byte length are saved with the claim's lease renewed (one
 * fenced update). A claim that finds progress saved copies the previous claim's file up to the
 * saved length (what was appended after the last checkpoint is dropped) and goes on from the saved
 * cursor, so a restart writes no row twice and loses none. The finished file is renamed into
 * place, then the export is marked done with a random download token valid for 24 hours. Each run
 * also deletes the files of exports whose link has expired.
 */
export function createExportsWorker({ database, exports, dir, pageSize = 1000, leaseMs = 60_000, checkpointMs = 500, onPage }: ExportsWorkerOptions) {
  const partsOf = async (id: string): Promise<Array<{ file: string; attempt: number }>> => {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    return names
      .map((name) => PART.exec(name))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === id)
      .map((m) => ({ file: path.join(dir, m[0]), attempt: Number(m[2]) }));
  };
  const removeParts = async (id: string, keep?: string) => {
    for (const p of await partsOf(id)) if (p.file !== keep) await fs.rm(p.file, { force: true });
  };

  async function fail(row: ExportRow, now: string): Promise<void> {
    await exports.checkpoint(row.id, row.attempts, { status: 'failed', error: 'The export could not be written; start it again', locked_until: null, updated_at: now, completed_at: now });
    await removeParts(row.id);
  }

  /** Resumes or starts one claimed export; returns when it is done or when another worker has overtaken it. */
  async function write(row: ExportRow, clock: () => Date): Promise<void> {
    if (row.attempts > MAX_ATTEMPTS) return fail(row, clock().toISOString());
    await fs.mkdir(dir, { recursive: true });
    const part = path.join(dir, partName(row.id, row.attempts));
    let cursor: ExportCursor | null = row.cursor === null ? null : (JSON.parse(row.cursor) as ExportCursor);
    let bytes = Number(row.bytes_written);
    let rows = Number(row.row_count);
    if (bytes > 0) {
      const previous = (await partsOf(row.id)).filter((p) => p.attempt < row.attempts).sort((a, b) => b.attempt - a.attempt)[0];
      const size = previous ? (await fs.stat(previous.file)).size : -1;
      if (previous && size >= bytes) {
        await fs.copyFile(previous.file, part);
        await fs.truncate(part, bytes);
      } else {
        // The partial file is gone (another disk, deleted by hand): start again from the first row.
        cursor = null;
        bytes = 0;
        rows = 0;
      }
    }
    await removeParts(row.id, part);
    const source = rowSource(database.db, row.account_id, row.resource, JSON.parse(row.filters) as ExportFilters, row.requested_by_type === 'member');
    const file = await fs.open(part, bytes > 0 ? 'r+' : 'w');
    const startedAt = row.started_at ?? clock().toISOString();
    let lastCheckpoint = Date.now();
    let collectedAt = bytes;
    try {
      const append = async (text: string) => {
        if (text === '') return;
        const buffer = Buffer.from(text, 'utf8');
        await file.write(buffer, 0, buffer.length, bytes);
        bytes += buffer.length;
      };
      if (bytes === 0) await append(headerOf(row.format, source));
      for (;;) {
        const page = await source.page(cursor, pageSize);
        await append(encodeRows(row.format, source, page.rows));
        rows += page.rows.length;
        cursor = page.next;
        await onPage?.(row.id, rows);
        if (bytes - collectedAt >= COLLECT_EVERY_BYTES) {
          collectGarbageSoon();
          collectedAt = bytes;
        }
        if (cursor === null) break;
        if (Date.now() - lastCheckpoint >= checkpointMs) {
          await file.datasync();
          const now = clock();
          const kept = await exports.checkpoint(row.id, row.attempts, {
            cursor: JSON.stringify(cursor),
            bytes_written: bytes,
            row_count: rows,
            started_at: startedAt,
            locked_until: new Date(now.getTime() + leaseMs).toISOString(),
            updated_at: now.toISOString(),
          });
          if (!kept) return;
          lastCheckpoint = Date.now();
        }
      }
      await file.datasync();
    } finally {
      await file.close();
    }
    // Into place first: an export marked done always has its file (a crash between the two
    // leaves a running export whose lease runs out, and it is written again).
    const fileKey = fileKeyOf(row);
    await fs.rename(part, path.join(dir, fileKey));
    const now = clock();
    await exports.checkpoint(row.id, row.attempts, {
      status: 'done',
      cursor: null,
      bytes_written: bytes,
      row_count: rows,
      file_key: fileKey,
      download_token: randomBytes(24).toString('base64url'),
      started_at: startedAt,
      completed_at: now.toISOString(),
      expires_at: new Date(now.getTime() + LINK_TTL_MS).toISOString(),
      locked_until: null,
      updated_at: now.toISOString(),
    });
  }

  /** Deletes the files of finished exports whose link has expired; returns how many. */
  async function expire(now: Date): Promise<number> {
    const at = now.toISOString();
    const due = await exports.expiredDone(at, 100);
    for (const row of due) {
      if (row.file_key) await fs.rm(path.join(dir, row.file_key), { force: true });
      await exports.markExpired(row.id, at);
    }
    return due.length;
  }

  return {
    /** One run: expired files deleted, then due exports written (one at a time: each is long and I/O-bound). */
    async run(now?: Date): Promise<number> {
      const expired = await expire(now ?? new Date());
      const written = await runClaimed<ExportRow>({
        now,
        concurrency: 1,
        runBudgetMs: 1000,
        leaseMs,
        claim: (at, leaseUntil, limit) => exports.claim(at, leaseUntil, limit),
        attempt: (row, clock) => write(row, clock),
      });
      return expired + written;
    },
    expire,
  };
}

export type ExportsWorker = ReturnType<typeof createExportsWorker>;
