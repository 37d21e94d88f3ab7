/* No imports: the tests load this file on its own. */

/** A file as a message carries it (`attachments` of a message). */
export interface Attachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}

/** An API refusal as the client throws it (ApiError), read by its shape. */
interface Refusal {
  status: number;
  message: string;
  details: Record<string, unknown>;
}
const isRefusal = (err: unknown): err is Refusal => typeof err === 'object' && err !== null && typeof (err as Refusal).status === 'number' && typeof (err as Refusal).message === 'string';

/**
 * Pictures shown as thumbnails: the raster types the server serves inline. Anything else (SVG and
 * PDF included) is downloaded, never shown in the page.
 */
const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

export const isRasterImage = (a: { content_type: string }): boolean => RASTER.has(a.content_type.toLowerCase());

/** "840 B", "12 KB", "3.4 MB": a file's size as people read it (1 KB = 1024 bytes, as file managers do). */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)} ${units[unit]}`;
}

/** Whether a message is still on its way out through a channel, so its conversation is read again soon. */
export const isQueued = (m: { delivery: { status: string; [more: string]: unknown } | null }): boolean => m.delivery?.status === 'queued';

/**
 * Why a file could not be attached, in a sentence that names it: "file.pdf is larger than 25 MB"
 * for a file over the workspace's limit (the limit as the server says it, when it does).
 */
export function uploadProblem(filename: string, err: unknown): string {
  if (isRefusal(err)) {
    if (err.status === 413) {
      const max = maxMegabytes(err);
      return max !== null ? `${filename} is larger than ${max} MB` : `${filename} is too large to attach`;
    }
    if (err.status === 0) return `${filename} could not be uploaded: Parley could not be reached`;
    return `${filename} could not be attached: ${err.message.replace(/\.$/, '')}`;
  }
  return `${filename} could not be uploaded`;
}

/** The limit in MB from a 413: its details (max_mb, max_bytes) or its message ("… 25 MB …"). */
function maxMegabytes(err: Refusal): number | null {
  const d = err.details ?? {};
  if (typeof d.max_mb === 'number') return d.max_mb;
  if (typeof d.max_bytes === 'number') return Math.round(d.max_bytes / (1024 * 1024));
  const said = /(\d+(?:\.\d+)?)\s*MB/i.exec(err.message);
  return said ? Number(said[1]) : null;
}
