import { useRef } from 'react';
import { fileSize } from './attachments';
import type { PendingFile } from './composer-files';
import { FileIcon } from './MessageAttachments';

/** A paperclip, for the button that picks files. */
function ClipIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="clip-icon">
      <path d="m21 11.5-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.9-8.9a3.7 3.7 0 0 1 5.2 5.2l-8.9 8.9a1.8 1.8 0 0 1-2.6-2.6l8.2-8.2" />
    </svg>
  );
}

/** The paperclip button: opens the file picker (several files at once). */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="btn attach-button" aria-label="Attach files" title="Attach files (or drop them here, or paste)" disabled={disabled} onClick={() => input.current?.click()}>
        <ClipIcon />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="composer-file-input"
        onChange={(e) => {
          const picked = Array.from(e.target.files ?? []);
          // Cleared, so that picking the same file again (after removing it) is seen as a change.
          e.target.value = '';
          if (picked.length > 0) onFiles(picked);
        }}
      />
    </>
  );
}

/** The files going with the next message, each with its upload's progress or its problem, and a remove button. */
export function ComposerFiles({ files, onRemove }: { files: PendingFile[]; onRemove: (key: string) => void }) {
  if (files.length === 0) return null;
  return (
    <ul className="composer-files" aria-label="Attached files">
      {files.map((f) => (
        <li key={f.key} className={`composer-file composer-file-${f.state}`} data-state={f.state}>
          {f.preview ? <img src={f.preview} alt="" className="composer-file-thumb" /> : <FileIcon />}
          <span className="composer-file-text">
            <span className="file-name">{f.filename}</span>
            {f.state === 'uploading' ? (
              <span className="file-size" role="status">
                Uploading… {Math.round(f.progress * 100)}%
                <progress max={1} value={f.progress} aria-label={`Uploading ${f.filename}`} />
              </span>
            ) : f.state === 'failed' ? (
              <span className="composer-file-problem" role="alert">
                {f.problem}
              </span>
            ) : (
              <span className="file-size">{fileSize(f.size)}</span>
            )}
          </span>
          <button type="button" className="composer-file-remove" aria-label={`Remove ${f.filename}`} title={f.state === 'uploading' ? 'Cancel the upload' : 'Remove'} onClick={() => onRemove(f.key)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
