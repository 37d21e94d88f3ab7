import type { MessageViewRow } from './messages.repository.js';
import { presentAuthor } from './messages.authors.js';
import { parseJsonArray } from '../../shared/json/json.js';

/** A file as a message row stores it (messages.attachments). */
export interface StoredAttachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
}

/** What a channel delivery shows on its message (messages.delivery). */
export interface MessageDelivery {
  status: 'queued' | 'sent' | 'failed';
  error: string | null;
  attempts: number;
  sent_at: string | null;
}

/** Where a file is downloaded, under the caller's rights. */
export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;

/** The stored attachments of a message, each with its download URL. */
export function presentAttachments(stored: string | null | undefined) {
  return parseJsonArray<StoredAttachment>(stored ?? '[]').map((a) => ({
    id: a.id,
    filename: a.filename,
    content_type: a.content_type,
    size: a.size,
    url: attachmentUrl(a.id),
  }));
}

/** A message's text for the model: its files named after it ("[attachment: invoice.pdf]"), so a file alone still says something. */
export function withFileNames(content: string, stored: string | null | undefined): string {
  const names = parseJsonArray<StoredAttachment>(stored ?? '[]').map((a) => `[attachment: ${a.filename}]`);
  return names.length === 0 ? content : [content.trim(), ...names].filter(Boolean).join('\n');
}

function presentDelivery(stored: string | null | undefined): MessageDelivery | null {
  if (!stored) return null;
  const d = JSON.parse(stored) as MessageDelivery;
  return { status: d.status, error: d.error ?? null, attempts: d.attempts ?? 0, sent_at: d.sent_at ?? null };
}

export type VisibleRole = 'user' | 'assistant' | 'operator' | 'note';

/** Why a reply was dropped: an operator switched the conversation to manual while it was written. */
export const TAKEN_OVER = 'An operator took over the conversation; the AI reply was discarded';

/**
 * The message: seed 000's id, role, content and created_at, then modality (seed 004), the member
 * who wrote it, feedback (seed 003) and the reply's status. System messages are never presented.
 */
export function presentMessage(row: MessageViewRow & { error?: string | null }) {
  return {
    id: row.id,
    role: row.role as VisibleRole,
    content: row.content,
    created_at: row.created_at,
    conversation_id: row.conversation_id,
    modality: row.modality,
    author_id: row.author_id,
    author: presentAuthor(row),
    context: row.context,
    status: row.status,
    // The provider's own words stay in the log; a reply dropped by a takeover says so.
    error: row.status === 'failed' ? (row.error === TAKEN_OVER ? TAKEN_OVER : 'AI response generation failed') : null,
    feedback: row.feedback_rating
      ? { rating: row.feedback_rating, comment: row.feedback_comment, created_at: row.feedback_at }
      : null,
    attachments: presentAttachments(row.attachments),
    delivery: presentDelivery(row.delivery),
  };
}

export type MessageView = ReturnType<typeof presentMessage>;
