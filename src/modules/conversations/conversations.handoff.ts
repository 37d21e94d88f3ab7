import { DECLINE_TEXT } from '../../ai/builtin/compose.js';
import type { TeamAvailability } from '../accounts/business-hours.js';
import type { HandoffSource } from './conversations.usecases.js';

/** How much of each customer message the summary quotes. */
const QUOTE_CHARS = 160;
/** At most this many questions are listed in each part of the summary. */
const MAX_LISTED = 5;

const quote = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS - 1)}…` : flat}”`;
};

const SOURCES: Record<HandoffSource, string> = {
  ai: 'the AI agent',
  visitor: 'the customer (“Talk to a person”)',
  operator: 'a member of the team',
  automation: 'an automation',
  api: 'an integration',
};

/** The note's first line: who handed the conversation over, and why. */
export function handoffHeadline(handoff: { source: HandoffSource; reason: string | null }): string {
  return `Handed over by ${SOURCES[handoff.source]}${handoff.reason ? `: ${handoff.reason}` : '.'}`;
}

/** Whether an AI reply said it could not answer (the built-in responder's decline, or an empty reply). */
export function isDecline(content: string): boolean {
  return content.trim() === '' || content.startsWith(DECLINE_TEXT.slice(0, 40));
}

/**
 * The note the team reads first (extractive, no model needed): who handed the conversation over
 * and why, then what the customer asked, split into what the AI answered and what it could not.
 */
export function summarizeForHandoff(
  messages: Array<{ role: string; content: string }>,
  handoff: { source: HandoffSource; reason: string | null },
): string {
  const answered: string[] = [];
  const unanswered: string[] = [];
  let pending: string | null = null;
  for (const m of messages) {
    if (m.role === 'user') {
      if (pending !== null) unanswered.push(pending);
      pending = m.content;
    } else if (pending !== null && (m.role === 'assistant' || m.role === 'operator')) {
      (m.role === 'assistant' && isDecline(m.content) ? unanswered : answered).push(pending);
      pending = null;
    }
  }
  if (pending !== null) unanswered.push(pending);
  const lines = [handoffHeadline(handoff)];
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push('', title);
    for (const item of items.slice(-MAX_LISTED)) lines.push(`- ${quote(item)}`);
    if (items.length > MAX_LISTED) lines.push(`- … and ${items.length - MAX_LISTED} earlier`);
  };
  list('Still open (not answered):', unanswered);
  list('Answered:', answered);
  if (answered.length + unanswered.length === 0) lines.push('', 'The customer has not written anything yet.');
  return lines.join('\n');
}

const REPLY_TIMES = { minutes: 'a few minutes', hours: 'a few hours', day: 'a day' } as const;

/** "Wednesday at 09:00 UTC": when the team is back, in the hours' own zone. */
function when(iso: string, timeZone: string): string {
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone }).format(at);
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(at);
  return `${day} at ${time}`;
}

/** What the customer is told once a person is on the way: the expected reply time, or when the team is back. */
export function nextStepsText(team: TeamAvailability & { timezone: string }): string {
  const lead = 'I’ve passed your conversation to a member of our team, who will reply here.';
  if (team.online || team.next_online_at === null) {
    return `${lead} We typically reply within ${REPLY_TIMES[team.reply_time]}.`;
  }
  return `${lead} We’re away right now and back ${when(team.next_online_at, team.timezone)} (${team.timezone}).`;
}

/** Longest title taken from a first message. */
const TITLE_CHARS = 60;

/** A title from the customer's first message: its first line, cut at a word, at most 60 characters. */
export function titleFrom(message: string): string | null {
  const line = message.replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  if (line.length <= TITLE_CHARS) return line;
  const cut = line.slice(0, TITLE_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

/**
 * The summary written when a conversation ends (extractive, no model needed): what the customer
 * asked first, how many questions the AI answered, whether a person replied and why it was
 * handed over.
 */
export function summarizeOnEnd(
  messages: Array<{ role: string; content: string; author_name: string | null }>,
  handoff: { reason: string | null } | null,
): string | null {
  const asked = messages.filter((m) => m.role === 'user');
  if (asked.length === 0) return null;
  const parts = [`The customer asked ${quote(asked[0].content)}${asked.length > 1 ? ` and ${asked.length - 1} more message${asked.length > 2 ? 's' : ''}` : ''}.`];
  let answered = 0;
  let declined = 0;
  for (const m of messages) {
    if (m.role !== 'assistant') continue;
    if (isDecline(m.content)) declined++;
    else answered++;
  }
  if (answered + declined > 0) parts.push(`The AI replied ${answered + declined} time${answered + declined > 1 ? 's' : ''}${declined ? `, ${declined} without an answer` : ''}.`);
  const people = [...new Set(messages.filter((m) => m.role === 'operator').map((m) => m.author_name ?? 'a colleague'))];
  if (handoff) parts.push(`Handed to a person${handoff.reason ? `: ${handoff.reason}` : ''}.`);
  if (people.length > 0) parts.push(`Answered by ${people.join(', ')}.`);
  return parts.join(' ');
}
