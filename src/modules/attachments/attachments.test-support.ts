import { randomBytes } from 'node:crypto';
import type { TestApp } from '../../../test/helpers.js';

export interface UploadPart {
  filename: string;
  content: Buffer | string;
  /** What the uploader claims (never trusted); application/octet-stream when left out. */
  type?: string;
  /** The form field (`file` unless a test says otherwise). */
  field?: string;
}

/** A multipart/form-data body as a browser sends it. */
export function multipartBody(parts: UploadPart[], fields: Record<string, string> = {}): { payload: Buffer; contentType: string } {
  const boundary = `----parley${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.field ?? 'file'}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface PresentedAttachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}

/** POSTs files to an upload route through the real app. */
export async function upload(t: TestApp, url: string, parts: UploadPart[], headers: Record<string, string> = t.auth) {
  const { payload, contentType } = multipartBody(parts);
  const res = await t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': contentType }, payload });
  const body = res.body ? (JSON.parse(res.body) as { data?: PresentedAttachment[]; error?: { code: string; message: string; details: Record<string, unknown> } }) : {};
  return { status: res.statusCode, body, headers: res.headers };
}

/** GETs a file: the status, the bytes and the headers. */
export async function download(t: TestApp, url: string, headers: Record<string, string> = t.auth) {
  const res = await t.app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, bytes: res.rawPayload, headers: res.headers, text: res.body };
}

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
