import type { Principal } from '../../shared/auth/principal.js';
import type { Executor } from '../../shared/db/database.js';
import { AppError, notFound, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { nowIso } from '../../shared/time.js';
import type { ConversationRow, ConversationsRepository } from '../conversations/conversations.repository.js';
import type { StoredAttachment } from '../messages/messages.presenters.js';
import type { MessagesRepository } from '../messages/messages.repository.js';
import type { Visitor } from '../widget/widget.sessions.js';
import { cleanFilename, detectContentType } from './attachments.files.js';
import type { AttachmentRow, AttachmentsRepository } from './attachments.repository.js';
import { newStorageKey, type AttachmentStore } from './attachments.store.js';

/** At most this many files on one message, and in one upload request. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** An upload no message took within this long is deleted (the purge task). */
export const UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000;
/** Roles whose messages (and so files) a conversation's visitor sees. */
const VISITOR_ROLES = new Set(['user', 'assistant', 'operator']);

export interface SaveFileInput {
  accountId: string;
  conversationId: string;
  filename: string | null | undefined;
  bytes: Buffer;
  /** member:<id>, api_key:<id>, contact:<id> or email. */
  uploadedBy: string | null;
  /** What the sender claimed; never trusted (kept for nothing but symmetry with the callers). */
  declaredType?: string | null;
}

/** Who uploads: recorded on the row, and deciding who may later put the upload on a message. */
export function uploaderOf(principal: Principal): string | null {
  if (principal.kind === 'member') return `member:${principal.memberId}`;
  if (principal.kind === 'api_key') return `api_key:${principal.keyId}`;
  return null;
}

export const tooLarge = (maxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${formatLimit(maxBytes)}`, { max_bytes: maxBytes });

function formatLimit(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A stored row as messages.attachments keeps it. */
export const storedOf = (row: AttachmentRow): StoredAttachment => ({
  id: row.id,
  filename: row.filename,
  content_type: row.content_type,
  size: Number(row.size),
});

/**
 * Files uploaded to conversations and received by channels: the bytes in the attachment store
 * (disk or bucket), a row each, linked to the message that carries it. Rights follow the
 * conversation: the account's members and keys see every file of its conversations; a visitor
 * only the files of its own conversation's visible messages, and its own uploads.
 */
export function createAttachmentsUseCases({
  attachments,
  conversationsRepo,
  messagesRepo,
  store,
  maxBytes,
}: {
  attachments: AttachmentsRepository;
  conversationsRepo: ConversationsRepository;
  messagesRepo: MessagesRepository;
  store: AttachmentStore;
  maxBytes: number;
}) {
  /** Deletes stored bytes after their rows are gone; a file already missing is fine, other failures only leave an orphan. */
  async function removeStored(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => store.delete(key).catch(() => {})));
  }

  /**
   * Stores one file: its type detected from the bytes, its name cleaned, its bytes written
   * before its row (a row never points at nothing). 413 above the size limit. The caller checks
   * that the conversation may receive it.
   */
  async function saveFile(input: SaveFileInput, executor?: Executor): Promise<AttachmentRow> {
    if (input.bytes.length > maxBytes) throw tooLarge(maxBytes);
    const contentType = await detectContentType(input.bytes);
    const key = newStorageKey();
    await store.put(key, input.bytes);
    try {
      return await attachments.insert(
        {
          id: uuidv7(),
          account_id: input.accountId,
          conversation_id: input.conversationId,
          message_id: null,
          filename: cleanFilename(input.filename),
          content_type: contentType,
          size: input.bytes.length,
          storage_key: key,
          uploaded_by: input.uploadedBy,
          created_at: nowIso(),
        },
        executor,
      );
    } catch (err) {
      await removeStored([key]);
      throw err;
    }
  }

  /** An active conversation of the account that files may be uploaded to (404, or 422 once ended). */
  async function uploadTarget(accountId: string, conversationId: string): Promise<ConversationRow> {
    const conversation = await conversationsRepo.findById(accountId, conversationId);
    if (!conversation) throw notFound('conversation');
    if (conversation.status !== 'active') throw unprocessable('Conversation has ended', { status: ['is ended'] });
    return conversation;
  }

  /** The visitor's own conversation of its widget, else 404 (as the widget's other routes). */
  async function visitorConversation(v: Visitor, conversationId: string): Promise<ConversationRow | undefined> {
    const row = await conversationsRepo.findById(v.session.account_id, conversationId);
    return row && row.contact_id === v.session.contact_id && row.channel_id === v.channel.id ? row : undefined;
  }

  return {
    maxBytes,
    saveFile,
    removeStored,

    /** Deletes uploads no message took (a failed upload request): their rows, then their bytes. */
    async discard(rows: AttachmentRow[]): Promise<void> {
      await removeStored(await attachments.deleteUnattached(rows.map((r) => r.id)));
    },

    /** The bytes of a stored file (404 when the store has lost them). */
    async read(row: AttachmentRow): Promise<Buffer> {
      const bytes = await store.get(row.storage_key);
      if (!bytes) throw notFound('attachment');
      return bytes;
    },

    /** The account's attachments of these ids that exist, in the order asked. */
    async rowsOf(accountId: string, ids: string[], executor?: Executor): Promise<AttachmentRow[]> {
      const rows = await attachments.findMany(accountId, ids, executor);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    /** Where a member or API key uploads: the account's active conversation. */
    async uploadTarget(principal: Principal, conversationId: string): Promise<{ accountId: string; conversationId: string; uploadedBy: string | null }> {
      await uploadTarget(principal.accountId, conversationId);
      return { accountId: principal.accountId, conversationId, uploadedBy: uploaderOf(principal) };
    },

    /** Where a visitor uploads: its own active conversation (404 for any other). */
    async visitorUploadTarget(v: Visitor, conversationId: string): Promise<{ accountId: string; conversationId: string; uploadedBy: string }> {
      if (!(await visitorConversation(v, conversationId))) throw notFound('conversation');
      await uploadTarget(v.session.account_id, conversationId);
      return { accountId: v.session.account_id, conversationId, uploadedBy: `contact:${v.session.contact_id}` };
    },

    /** An attachment a member or API key may download: any of the account's. */
    async forPrincipal(principal: Principal, id: string): Promise<AttachmentRow> {
      const row = await attachments.findById(principal.accountId, id);
      if (!row) throw notFound('attachment');
      return row;
    },

    /**
     * An attachment a visitor may download: on a message of its own conversation that the
     * visitor sees (never a note's), or its own upload not yet sent. Anything else is 404.
     */
    async forVisitor(v: Visitor, id: string): Promise<AttachmentRow> {
      const accountId = v.session.account_id;
      const row = await attachments.findById(accountId, id);
      const conversation = row && (await visitorConversation(v, row.conversation_id));
      if (!row || !conversation) throw notFound('attachment');
      if (row.message_id === null) {
        if (row.uploaded_by !== `contact:${v.session.contact_id}`) throw notFound('attachment');
        return row;
      }
      const message = await messagesRepo.findById(accountId, conversation.id, Number(row.message_id));
      if (!message || !VISITOR_ROLES.has(message.role) || message.status !== 'completed') throw notFound('attachment');
      return row;
    },

    /**
     * The files a new message will carry, checked in the message's transaction: each id an upload
     * of this conversation on no message yet (422 naming the id otherwise). A visitor may attach
     * only its own uploads. Returns them as the message stores them.
     */
    async forMessage(
      principal: Principal,
      conversation: Pick<ConversationRow, 'id' | 'account_id' | 'contact_id'>,
      ids: string[],
      trx: Executor,
    ): Promise<StoredAttachment[]> {
      const unique = [...new Set(ids)];
      if (unique.length > MAX_ATTACHMENTS_PER_MESSAGE) {
        throw unprocessable(`A message carries at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments`, { attachment_ids: [`at most ${MAX_ATTACHMENTS_PER_MESSAGE}`] });
      }
      const rows = await attachments.findMany(conversation.account_id, unique, trx);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const visitorOnly = principal.kind === 'system' && principal.source === 'widget' ? `contact:${conversation.contact_id}` : null;
      for (const id of unique) {
        const row = byId.get(id);
        if (!row || row.conversation_id !== conversation.id || (visitorOnly !== null && row.uploaded_by !== visitorOnly)) {
          throw unprocessable(`Attachment ${id} is not an upload of this conversation`, { attachment_ids: [`${id} is not an upload of this conversation`] });
        }
        if (row.message_id !== null) {
          throw unprocessable(`Attachment ${id} is already on a message`, { attachment_ids: [`${id} is already on a message`] });
        }
      }
      return unique.map((id) => storedOf(byId.get(id)!));
    },

    /** Puts the checked uploads on the stored message; 422 when another message took one meanwhile. */
    async linkToMessage(accountId: string, stored: StoredAttachment[], messageId: number, trx: Executor): Promise<void> {
      if (stored.length === 0) return;
      const linked = await attachments.linkToMessage(accountId, stored.map((a) => a.id), messageId, trx);
      if (linked !== stored.length) {
        throw unprocessable('An attachment was put on another message meanwhile', { attachment_ids: ['one is already on a message'] });
      }
    },

    /** In a conversation's deletion: drops the rows, returns the keys to remove after commit. */
    async forgetConversationFiles(accountId: string, conversationIds: string[], trx: Executor): Promise<string[]> {
      return attachments.deleteForConversations(accountId, conversationIds, trx);
    },

    /** Deletes uploads that no message took within a day; returns how many. */
    async purgeUnattached(now: Date = new Date(), limit = 500): Promise<number> {
      const rows = await attachments.unattachedBefore(new Date(now.getTime() - UNATTACHED_TTL_MS).toISOString(), limit);
      const keys = await attachments.deleteUnattached(rows.map((r) => r.id));
      await removeStored(keys);
      return keys.length;
    },
  };
}

export type AttachmentsUseCases = ReturnType<typeof createAttachmentsUseCases>;
