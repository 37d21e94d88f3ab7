import { csrfHeaders, sessionEnded } from '../api/client';
import { ApiError } from '../api/errors';
import type { Attachment } from './attachments';

/**
 * Uploads one file to a conversation (multipart field `file`), reporting the share sent so far;
 * one request per file, so each has its own progress and its own refusal.
 * XMLHttpRequest rather than fetch: fetch cannot tell how much of a body has gone. Rejects with an
 * ApiError as the API client would; `signal` aborts it.
 */
export function uploadAttachment(conversationId: string, file: File, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/conversations/${encodeURIComponent(conversationId)}/attachments`);
    xhr.withCredentials = true;
    xhr.responseType = 'json';
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      // The route takes several files at once and answers with a list; one is sent here.
      const body = xhr.response as { data?: Attachment[]; error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null;
      const uploaded = body?.data?.[0];
      if (xhr.status >= 200 && xhr.status < 300 && uploaded) return resolve(uploaded);
      if (xhr.status === 401) sessionEnded();
      reject(new ApiError(xhr.status, body?.error?.code ?? `HTTP_${xhr.status}`, body?.error?.message ?? (xhr.statusText || 'The upload failed'), body?.error?.details));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Parley could not be reached. Check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
