import { tokenize } from './text.js';

export type SmallTalk = 'greeting' | 'thanks' | 'goodbye';

const GREETINGS = new Set(['hi', 'hello', 'hey', 'hiya', 'howdy', 'yo', 'greetings', 'morning', 'afternoon', 'evening']);
const THANKS = new Set(['thanks', 'thank', 'thx', 'ty', 'cheers', 'ta', 'appreciate', 'appreciated', 'grateful']);
const GOODBYES = new Set(['bye', 'goodbye', 'cya', 'farewell', 'later', 'night']);

/** Words that may surround a greeting or a thank-you without asking anything. */
const FILLER = new Set(
  `there all you so much very many lot again good great awesome perfect brilliant lovely nice cool ok okay
  alright that this it was is has that s helped helps helpful for your the a and have day see team everyone
  folks guys how are doing today ah oh well really kind of much appreciated again just wanted to say got
  now will do sounds fine super amazing excellent fantastic`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Recognises a message that is only a greeting, thanks or goodbye ("hi", "thanks, that helped!"),
 * which deserves a friendly word rather than a search. Anything with a question in it is not.
 */
export function detectSmallTalk(message: string): SmallTalk | null {
  const tokens = tokenize(message);
  if (tokens.length === 0 || tokens.length > 12) return null;
  let kind: SmallTalk | null = null;
  for (const t of tokens) {
    if (THANKS.has(t)) kind = 'thanks';
    else if (GOODBYES.has(t)) kind = kind === 'thanks' ? kind : 'goodbye';
    else if (GREETINGS.has(t)) kind = kind ?? 'greeting';
    else if (!FILLER.has(t)) return null;
  }
  if (kind === null && /\bhow are (you|things)\b/.test(tokens.join(' '))) return 'greeting';
  return kind;
}

/** Whether a message opens with a greeting ("Hi, how do I…"), so the answer can greet back. */
export function startsWithGreeting(message: string): boolean {
  const first = tokenize(message)[0];
  return first !== undefined && GREETINGS.has(first) && first !== 'morning';
}

export const SMALL_TALK_REPLIES: Record<SmallTalk, string> = {
  greeting: 'Hi there! How can I help you today?',
  thanks: "You're welcome! Is there anything else I can help you with?",
  goodbye: 'Goodbye, and thanks for getting in touch!',
};
