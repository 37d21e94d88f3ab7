import { useCallback, useSyncExternalStore } from 'react';
import { isRasterImage, uploadProblem, type Attachment } from './attachments';
import { uploadAttachment } from './upload';

/** A file on its way into the next reply or note: uploading, uploaded, or refused (with why). */
export interface PendingFile {
  key: string;
  filename: string;
  size: number;
  /** Share of the bytes sent, 0 to 1, while uploading. */
  progress: number;
  state: 'uploading' | 'ready' | 'failed';
  attachment: Attachment | null;
  problem: string | null;
  /** A local picture of an image being attached, shown in its chip (revoked when it goes). */
  preview: string | null;
}

/**
 * The files of each conversation's composer, kept in memory for the page's life: they follow the
 * text across conversations (an upload carries on when another one is opened), but unlike the
 * text they are not saved in the browser, so a reload forgets them. Each is uploaded at once.
 */
const trays = new Map<string, PendingFile[]>();
const uploads = new Map<string, AbortController>();
const listeners = new Set<() => void>();
const NONE: PendingFile[] = [];
let counter = 0;

function update(conversationId: string, fn: (files: PendingFile[]) => PendingFile[]): void {
  trays.set(conversationId, fn(trays.get(conversationId) ?? NONE));
  for (const listener of listeners) listener();
}
const patch = (conversationId: string, key: string, change: Partial<PendingFile>) =>
  update(conversationId, (files) => files.map((f) => (f.key === key ? { ...f, ...change } : f)));

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function forget(file: PendingFile): void {
  uploads.get(file.key)?.abort();
  uploads.delete(file.key);
  if (file.preview) URL.revokeObjectURL(file.preview);
}

function add(conversationId: string, list: File[]): void {
  for (const file of list) {
    const key = `f${++counter}`;
    const preview = isRasterImage({ content_type: file.type }) ? URL.createObjectURL(file) : null;
    const controller = new AbortController();
    uploads.set(key, controller);
    update(conversationId, (files) => [
      ...files,
      { key, filename: file.name || 'pasted file', size: file.size, progress: 0, state: 'uploading', attachment: null, problem: null, preview },
    ]);
    uploadAttachment(conversationId, file, (progress) => patch(conversationId, key, { progress }), controller.signal).then(
      (attachment) => patch(conversationId, key, { state: 'ready', progress: 1, attachment }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        patch(conversationId, key, { state: 'failed', problem: uploadProblem(file.name || 'The file', err) });
      },
    );
    controller.signal.addEventListener('abort', () => uploads.delete(key), { once: true });
  }
}

/** The composer's files for one conversation, and what can be done with them. */
export function useComposerFiles(conversationId: string) {
  const files = useSyncExternalStore(subscribe, () => trays.get(conversationId) ?? NONE);
  const addFiles = useCallback((list: File[]) => add(conversationId, list), [conversationId]);
  const remove = useCallback(
    (key: string) =>
      update(conversationId, (all) => {
        const gone = all.find((f) => f.key === key);
        if (gone) forget(gone);
        return all.filter((f) => f.key !== key);
      }),
    [conversationId],
  );
  /** After a send: the files it carried go; refused ones stay, so their reason can still be read. */
  const clearSent = useCallback(
    (sentIds: string[]) =>
      update(conversationId, (all) =>
        all.filter((f) => {
          const sent = f.attachment !== null && sentIds.includes(f.attachment.id);
          if (sent) forget(f);
          return !sent;
        }),
      ),
    [conversationId],
  );
  const ready = files.filter((f) => f.state === 'ready' && f.attachment).map((f) => f.attachment!.id);
  return { files, ready, uploading: files.some((f) => f.state === 'uploading'), addFiles, remove, clearSent };
}
