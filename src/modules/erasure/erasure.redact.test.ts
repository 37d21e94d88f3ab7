import { describe, expect, it } from 'vitest';
import { mentions, redactDeliveryError, redactEventData } from './erasure.redact.js';

describe('what an erasure keeps of a copy', () => {
  it('keeps only the ids of an event, wherever the event carries them', () => {
    expect(redactEventData({ contact: { id: 5, email: 'a@b.example', metadata: { address: 'x' } } })).toEqual({ redacted: true, contact_id: 5 });
    expect(redactEventData({ message: { id: 9, conversation_id: 'c1', content: 'card' }, conversation: { id: 'c1', contact_id: 5, title: 't' } })).toEqual({
      redacted: true,
      contact_id: 5,
      conversation_id: 'c1',
      message_id: 9,
    });
    expect(redactEventData({ message: { id: 9, conversation_id: 'c1', feedback: { comment: 'rude' } } })).toEqual({ redacted: true, conversation_id: 'c1', message_id: 9 });
    expect(redactEventData({ conversation_id: 'c1', reader: 'team', message_id: 3 })).toEqual({ redacted: true, conversation_id: 'c1', message_id: 3 });
    expect(redactEventData('not an object')).toEqual({ redacted: true });
  });

  it('keeps the status line of a failed delivery, not the body the receiver answered with', () => {
    expect(redactDeliveryError('HTTP 500: could not take {"data":{"email":"a@b.example"}}')).toBe('HTTP 500 (response redacted)');
    expect(redactDeliveryError('connection refused')).toBe('connection refused');
    expect(redactDeliveryError(null)).toBeNull();
  });

  it('finds the contact or its conversations in a stored answer, and nothing else', () => {
    const conversations = new Set(['c1']);
    expect(mentions({ data: { id: 5, name: 'Erin', email: null } }, 5, conversations)).toBe(true);
    expect(mentions({ data: [{ id: 7, contact_id: 5 }] }, 5, conversations)).toBe(true);
    expect(mentions({ data: { user_message: { conversation_id: 'c1' } } }, null, conversations)).toBe(true);
    expect(mentions({ data: { id: 5, role: 'user', conversation_id: 'c2' } }, 5, conversations)).toBe(false);
    expect(mentions({ data: { id: 6, email: 'x@y.example', contact_id: 4 } }, 5, conversations)).toBe(false);
  });
});
