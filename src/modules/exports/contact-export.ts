import type { Principal } from '../../shared/auth/principal.js';
import type { Database } from '../../shared/db/database.js';
import { forbidden, notFound } from '../../shared/errors/errors.js';
import { parseJsonArray } from '../../shared/json/json.js';
import { presentContact } from '../contacts/contacts.presenters.js';
import { presentConversation, presentCsat } from '../conversations/conversations.presenters.js';
import { attachmentUrl, presentMessage } from '../messages/messages.presenters.js';
import type { ContactExportRepository } from './contact-export.repository.js';

const group = <T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> => {
  const out = new Map<K, T[]>();
  for (const row of rows) out.set(key(row), [...(out.get(key(row)) ?? []), row]);
  return out;
};

/**
 * A person's data in one JSON document (GDPR access): the contact; every conversation with its
 * messages (notes only when an admin asks for them), files' metadata and download URLs, and its
 * email thread and mails; every feedback and CSAT rating they gave; their widget sessions. Read
 * in one transaction, so the document is one consistent snapshot.
 *
 * Who may ask: members and API keys of the account (they can read all of it through the API
 * already); `include_notes` only admins (403 for anyone else), as notes are the team's own words.
 * Files uploaded to a conversation that no message carries are listed when the contact uploaded
 * them; a note's files only with the notes.
 */
export function createContactExport({ database, reads }: { database: Database; reads: ContactExportRepository }) {
  return async function exportContact(principal: Principal, contactId: number, options: { includeNotes?: boolean } = {}) {
    const withNotes = options.includeNotes === true;
    if (withNotes && !(principal.kind === 'member' && principal.role === 'admin')) {
      throw forbidden('Only admins can include internal notes in an export');
    }
    const accountId = principal.accountId;
    return database.db.transaction().execute(async (trx) => {
      const contact = await reads.contact(trx, accountId, contactId);
      if (!contact) throw notFound('contact');
      const conversations = await reads.conversations(trx, accountId, contactId);
      const ids = conversations.map((c) => c.id);
      const [tags, messages, files, threads, mails, sessions] = await Promise.all([
        reads.tags(trx, accountId, ids),
        reads.messages(trx, accountId, ids, withNotes),
        reads.attachments(trx, accountId, ids),
        reads.emailThreads(trx, accountId, ids),
        reads.emailMessages(trx, accountId, ids),
        reads.visitorSessions(trx, accountId, contactId),
      ]);
      const tagsOf = group(tags, (t) => t.conversation_id);
      const messagesOf = group(messages, (m) => m.conversation_id);
      const exported = new Set(messages.map((m) => Number(m.id)));
      const ownUpload = `contact:${contactId}`;
      const filesOf = group(
        files.filter((f) => (f.message_id === null ? f.uploaded_by === ownUpload : exported.has(Number(f.message_id)))),
        (f) => f.conversation_id,
      );
      const threadOf = new Map(threads.map((t) => [t.conversation_id, t]));
      const mailsOf = group(mails, (m) => m.conversation_id);

      const presented = conversations.map((c) => {
        const thread = threadOf.get(c.id);
        return {
          ...presentConversation(c, (tagsOf.get(c.id) ?? []).map((t) => t.tag)),
          messages: (messagesOf.get(c.id) ?? []).map((m) => presentMessage(m)),
          attachments: (filesOf.get(c.id) ?? []).map((f) => ({
            id: f.id,
            filename: f.filename,
            content_type: f.content_type,
            size: Number(f.size),
            url: attachmentUrl(f.id),
            message_id: f.message_id === null ? null : Number(f.message_id),
            created_at: f.created_at,
          })),
          email: thread
            ? {
                subject: thread.subject,
                contact_address: thread.contact_address,
                mails: (mailsOf.get(c.id) ?? []).map((m) => ({
                  id: m.id,
                  direction: m.direction,
                  message_id: m.message_id === null ? null : Number(m.message_id),
                  message_id_header: m.message_id_header,
                  subject: m.subject,
                  from_address: m.from_address,
                  headers: parseJsonArray<string[]>(m.headers),
                  original_text: m.original_text,
                  created_at: m.created_at,
                })),
              }
            : null,
        };
      });
      return {
        exported_at: new Date().toISOString(),
        includes_notes: withNotes,
        contact: presentContact(contact),
        conversations: presented,
        feedback: messages
          .filter((m) => m.feedback_rating !== null)
          .map((m) => ({
            conversation_id: m.conversation_id,
            message_id: Number(m.id),
            rating: m.feedback_rating!,
            comment: m.feedback_comment,
            created_at: m.feedback_at,
          })),
        csat: conversations.flatMap((c) => {
          const csat = presentCsat(c);
          return csat ? [{ conversation_id: c.id, ...csat }] : [];
        }),
        widget_sessions: sessions.map((s) => ({
          channel_id: s.channel_id,
          verified: s.verified === 1,
          created_at: s.created_at,
          last_seen_at: s.last_seen_at,
          expires_at: s.expires_at,
        })),
      };
    });
  };
}

export type ContactExport = ReturnType<typeof createContactExport>;
