import type { Message } from '../api/types';
import { fullTime } from '../ui/format';
import { fileSize, isRasterImage, type Attachment } from './attachments';

/** A paper sheet with a folded corner: any file that is not a picture. */
export function FileIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="file-icon">
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
      <path d="M14 3v5h5" />
    </svg>
  );
}

/**
 * A message's files: pictures as thumbnails that open full size in a new tab, other files as a
 * chip with name and size that downloads. The session cookie carries the member's rights, so the
 * plain URLs work in <img> and links.
 */
export function MessageAttachments({ items }: { items: Attachment[] }) {
  if (items.length === 0) return null;
  const images = items.filter(isRasterImage);
  const files = items.filter((a) => !isRasterImage(a));
  return (
    <div className="msg-files">
      {images.length > 0 && (
        <ul className="msg-images" aria-label="Pictures">
          {images.map((a) => (
            <li key={a.id}>
              <a href={a.url} target="_blank" rel="noopener" className="msg-thumb" title={`${a.filename} · ${fileSize(a.size)} — opens full size`}>
                <img src={a.url} alt={a.filename} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="msg-chips" aria-label="Files">
          {files.map((a) => (
            <li key={a.id}>
              <a href={a.url} download={a.filename} className="file-chip" title={`Download ${a.filename}`}>
                <FileIcon />
                <span className="file-name">{a.filename}</span>
                <span className="file-size">{fileSize(a.size)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * What became of a message sent through a channel, small under the bubble: on its way, sent (the
 * time on hover), or failed with the channel's reason and how often it was tried.
 */
export function DeliveryStatus({ delivery }: { delivery: Message['delivery'] }) {
  if (!delivery) return null;
  if (delivery.status === 'queued') {
    return (
      <div className="delivery delivery-queued" data-delivery="queued" role="status">
        Sending…{delivery.attempts > 0 && <span className="muted"> (tried {delivery.attempts}×, trying again)</span>}
      </div>
    );
  }
  if (delivery.status === 'sent') {
    return (
      <div className="delivery delivery-sent" data-delivery="sent">
        <span title={delivery.sent_at ? `Sent ${fullTime(delivery.sent_at)}` : undefined}>✓ Sent</span>
      </div>
    );
  }
  const attempts = delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`;
  return (
    <div className="delivery delivery-failed" data-delivery="failed" role="status">
      Failed: {delivery.error ?? 'it could not be delivered'} <span className="delivery-attempts">({attempts})</span>
    </div>
  );
}
