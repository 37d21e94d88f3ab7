import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.ts';
import type { Attachment } from './api.ts';
import type { Controller } from './controller.ts';
import { CloseIcon, FileIcon } from './icons.tsx';

/** The types the server serves inline: raster images, shown in the message. */
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Saves a file under its name: links cannot carry the visitor's token, so the bytes are fetched first. */
async function save(controller: Controller, file: Attachment): Promise<void> {
  const a = document.createElement('a');
  a.href = await controller.fileUrl(file.url);
  a.download = file.filename;
  a.rel = 'noopener';
  a.click();
}

/** A message's files: images previewed in place, anything else a link that downloads it. */
export function Files({ files, controller }: { files: Attachment[]; controller: Controller }): JSX.Element {
  return (
    <div class="files">
      {files.map((f) => (IMAGES.has(f.content_type) ? <Picture key={f.id} file={f} controller={controller} /> : <FileLink key={f.id} file={f} controller={controller} />))}
    </div>
  );
}

function Picture({ file, controller }: { file: Attachment; controller: Controller }): JSX.Element {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    controller.fileUrl(file.url).then(
      (url) => live && setSrc(url),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [file.url]);
  if (!src) return <FileLink file={file} controller={controller} />;
  return (
    <a class="picture" href={src} download={file.filename} title={file.filename}>
      <img src={src} alt={file.filename} />
    </a>
  );
}

function FileLink({ file, controller }: { file: Attachment; controller: Controller }): JSX.Element {
  return (
    <button type="button" class="file" title={file.filename} onClick={() => void save(controller, file).catch(() => undefined)}>
      <FileIcon />
      <span class="file-name">{file.filename}</span>
      <span class="file-size">{sizeOf(file.size)}</span>
    </button>
  );
}

/** The files uploaded for the message being written, each removable before it is sent. */
export function PendingFiles({ files, controller, t }: { files: Attachment[]; controller: Controller; t: Translate }): JSX.Element {
  return (
    <ul class="pending">
      {files.map((f) => (
        <li key={f.id}>
          <FileIcon />
          <span class="file-name">{f.filename}</span>
          <button type="button" class="unattach" aria-label={t('removeFile', { name: f.filename })} title={t('removeFile', { name: f.filename })} onClick={() => controller.unattach(f.id)}>
            <CloseIcon />
          </button>
        </li>
      ))}
    </ul>
  );
}
