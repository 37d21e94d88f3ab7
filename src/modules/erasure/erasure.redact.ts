import { isPlainObject } from '../../shared/json/json.js';

/** What an erased event keeps: that it was redacted, and the ids it was about. */
export interface RedactedData {
  redacted: true;
  contact_id?: number;
  conversation_id?: string;
  message_id?: number;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (isPlainObject(v) ? v : undefined);
const id = <T extends 'string' | 'number'>(v: unknown, kind: T) => (typeof v === kind ? (v as T extends 'string' ? string : number) : undefined);

/** An event's data with everything but its ids removed (an already redacted event is returned as is). */
export function redactEventData(data: unknown): RedactedData {
  const d = obj(data) ?? {};
  const contact = obj(d.contact);
  const conversation = obj(d.conversation);
  const message = obj(d.message);
  const out: RedactedData = { redacted: true };
  const contactId = id(contact?.id, 'number') ?? id(conversation?.contact_id, 'number') ?? id(d.contact_id, 'number');
  const conversationId = id(conversation?.id, 'string') ?? id(message?.conversation_id, 'string') ?? id(d.conversation_id, 'string');
  const messageId = id(message?.id, 'number') ?? id(d.message_id, 'number');
  if (contactId !== undefined) out.contact_id = contactId;
  if (conversationId !== undefined) out.conversation_id = conversationId;
  if (messageId !== undefined) out.message_id = messageId;
  return out;
}

export function isRedacted(data: unknown): boolean {
  return obj(data)?.redacted === true;
}

/**
 * A webhook delivery's stored error keeps its status line, not the answer's body: a receiver may
 * echo the payload it was sent.
 */
export function redactDeliveryError(error: string | null): string | null {
  if (error === null) return null;
  const status = /^HTTP \d{3}/.exec(error);
  return status ? `${status[0]} (response redacted)` : error;
}

/**
 * Whether a stored JSON answer is about the contact or one of the conversations: it names a
 * conversation id anywhere, or holds the contact itself (an object with its id and contact
 * fields) or something of the contact (`contact_id`).
 */
export function mentions(value: unknown, contactId: number | null, conversationIds: ReadonlySet<string>): boolean {
  if (typeof value === 'string') return conversationIds.has(value);
  if (Array.isArray(value)) return value.some((v) => mentions(v, contactId, conversationIds));
  const o = obj(value);
  if (!o) return false;
  if (contactId !== null) {
    if (o.contact_id === contactId) return true;
    if (o.id === contactId && ('email' in o || 'external_id' in o || 'phone' in o)) return true;
  }
  return Object.values(o).some((v) => mentions(v, contactId, conversationIds));
}
