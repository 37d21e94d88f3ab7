import { unprocessable } from '../../shared/errors/errors.js';
import { parseInstant } from './conversations.queries.js';

/** How far ahead a conversation may be snoozed: a year (a day's slack for leap years and clocks). */
const MAX_SNOOZE_MS = 366 * 24 * 60 * 60 * 1000;

/** Why a snoozed conversation came back, in its `conversation.unsnoozed` event. */
export type WakeReason = 'manual' | 'time' | 'contact_message';

export const unsnoozedEvent = (reason: WakeReason) => ({ type: 'conversation.unsnoozed', data: { reason } });

/**
 * The time a conversation is snoozed until, as stored: a date-time the caller wrote (400 when it is
 * not one), in the future and at most a year ahead (422 otherwise: well-formed, but not a time one
 * can snooze until).
 */
export function parseSnoozeUntil(raw: string, now: number = Date.now()): string {
  const until = parseInstant(raw, 'until');
  const ms = Date.parse(until);
  if (ms <= now) throw unprocessable('Choose a time in the future to snooze until', { until: ['must be in the future'] });
  if (ms > now + MAX_SNOOZE_MS) throw unprocessable('A conversation can be snoozed for a year at most', { until: ['must be within a year from now'] });
  return until;
}
