import type { HistoryMessage } from '../provider.js';
import { DECLINE_TEXT } from './compose.js';

/**
 * Asking for a person, in English, German, French and Spanish ("talk to a human", "speak to
 * someone", "real person", "Mitarbeiter", "parler à un conseiller", "hablar con una persona").
 * Matched on the message lower-cased with its accents taken off.
 */
const ASKS_FOR_A_PERSON: RegExp[] = [
  /\b(talk|speak|chat|get through)\s+(to|with)\s+(a |an |some |your |the |one of your )?(real |actual |live )?(human|person|people|someone|somebody|agent|representative|rep|operator|staff|team member|employee|manager|support team)\b/,
  /\b(real|actual|live)\s+(person|human|agent|people)\b/,
  /\bhuman\s+(being|agent|support|help)\b/,
  /\b(connect|transfer|put)\s+me\s+(to|through|with)\b/,
  /\b(i want|i need|can i have|give me|get me)\s+(a |an )?(human|person|agent|representative)\b/,
  // German
  /\bmitarbeiter(in|innen|n)?\b/,
  /\bmit\s+(einem|einer)\s+(menschen|mensch|person|berater|beraterin)\b/,
  /\b(echte[nr]?|richtige[nr]?)\s+(person|menschen|mensch)\b/,
  /\bmit\s+jemandem\s+(sprechen|reden)\b/,
  // French
  /\bparler\s+(a|avec)\s+(un|une|quelqu'?un|quelqu un)\b/,
  /\b(vraie|veritable)\s+personne\b/,
  /\bun\s+(humain|conseiller|agent)\b/,
  // Spanish
  /\bhablar\s+con\s+(una|un|alguien|algun)\b/,
  /\bpersona\s+real\b/,
  /\bun\s+(humano|agente|asesor)\b/,
];

const plain = (text: string) => text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’`]/g, "'");

/** Whether the customer is asking to talk to a person. */
export function asksForAPerson(message: string): boolean {
  const text = plain(message);
  return ASKS_FOR_A_PERSON.some((re) => re.test(text));
}

/** The questions in a row, up to the last reply, that the responder could not answer. */
export function declinesInARow(history: HistoryMessage[]): number {
  let count = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i];
    if (m.role === 'user') continue;
    if (m.role === 'assistant' && m.content.startsWith(DECLINE_TEXT.slice(0, 40))) count++;
    else break;
  }
  return count;
}

/** The reply when a person is asked for: the agent's next message says what happens next. */
export const HANDOFF_ASKED_TEXT = 'Of course — I’ll bring in a member of our team.';
/** The reply when the responder hands over after questions it could not answer. */
export const HANDOFF_DECLINED_TEXT = "I'm sorry, I couldn't find an answer to that in our help articles, so I'll bring in a member of our team.";
