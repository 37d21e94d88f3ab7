import { fileTypeFromBuffer } from 'file-type';

/** Types a browser may show in the page: raster images, which run no script. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export const MAX_FILENAME_LENGTH = 200;
export const DEFAULT_FILENAME = 'file';

/** The start of a text file that a browser would take for markup of its own. */
const SVG_START = /^(\s|<\?xml[^>]*>|<!--[\s\S]*?-->|<!doctype[^>]*>)*<svg[\s>]/i;
const HTML_START = /^(\s|<!--[\s\S]*?-->)*(<!doctype html|<html|<head|<body|<script|<iframe)[\s>]/i;

function utf8Text(bytes: Buffer): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The media type of a file, from its bytes alone (what the uploader declared is never trusted):
 * a known signature's type; SVG and HTML recognised by their start (served as downloads, like
 * any type but raster images); other valid UTF-8 without NULs is text/plain; anything else is
 * application/octet-stream.
 */
export async function detectContentType(bytes: Buffer): Promise<string> {
  const found = await fileTypeFromBuffer(bytes);
  if (found && found.mime !== 'application/xml') return found.mime;
  const head = utf8Text(bytes.subarray(0, Math.min(bytes.length, 4096)));
  if (head !== null && SVG_START.test(head)) return 'image/svg+xml';
  if (found) return found.mime;
  if (head !== null && HTML_START.test(head)) return 'text/html';
  // The head may end inside a multi-byte character: the whole file decides.
  return utf8Text(bytes) !== null ? 'text/plain' : 'application/octet-stream';
}

/**
 * A filename safe to store and show: the last part of any path, no control or direction-changing
 * characters, at most 200 characters (the extension kept); "file" when nothing is left.
 */
export function cleanFilename(raw: string | null | undefined): string {
  const last = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let name = last.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (name === '' || name === '.' || name === '..') return DEFAULT_FILENAME;
  const chars = Array.from(name);
  if (chars.length > MAX_FILENAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
    const keep = ext.length > 0 && ext.length <= 20 ? ext : [];
    name = chars.slice(0, MAX_FILENAME_LENGTH - keep.length).join('') + keep.join('');
  }
  return name;
}

/** Whether the browser may show the file in the page; everything else is downloaded. */
export const servedInline = (contentType: string) => INLINE_TYPES.has(contentType);

/** The Content-Type a file is served with. */
export const servedType = (contentType: string) => (contentType === 'text/plain' ? 'text/plain; charset=utf-8' : contentType);

/** `inline` or `attachment`, with an ASCII filename and the exact one per RFC 5987 (filename*). */
export function contentDisposition(contentType: string, filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${servedInline(contentType) ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
