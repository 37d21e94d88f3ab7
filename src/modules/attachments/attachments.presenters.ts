import { attachmentUrl } from '../messages/messages.presenters.js';
import type { AttachmentRow } from './attachments.repository.js';

/** An uploaded file as the API shows it (the shape of a message's `attachments`). */
export function presentAttachment(row: AttachmentRow) {
  return {
    id: row.id,
    filename: row.filename,
    content_type: row.content_type,
    size: Number(row.size),
    url: attachmentUrl(row.id),
  };
}
