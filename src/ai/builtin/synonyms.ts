import { stem } from './stemmer.js';
import { EVERYDAY_GROUPS } from './everyday.js';
import { isStopword, tokenize } from './text.js';

/**
 * Words and phrases customers and help articles use for the same thing. General customer-support
 * vocabulary, not any one business's: a customer who asks how to "send something back" is asking
 * about returns, "my parcel hasn't turned up" is about delivery. Inflections are handled by
 * stemming, so list base forms. A word may sit in several groups.
 */
const SUPPORT_GROUPS: string[][] = [
  ['return', 'returns', 'send back', 'ship back', 'post back', 'take back', 'bring back', 'give back', 'exchange'],
  ['refund', 'money back', 'reimburse', 'reimbursement', 'repay', 'repayment', 'credit', 'store credit', 'account credit', 'compensation'],
  ['exchange', 'swap', 'replace', 'replacement', 'switch'],
  ['ship', 'shipping', 'shipment', 'deliver', 'delivery', 'dispatch', 'post', 'postage', 'mail', 'courier', 'carrier', 'send', 'van', 'driver', 'transit'],
  ['arrive', 'arrival', 'deliver', 'delivery', 'turn up', 'show up', 'get here', 'come', 'reach', 'receive'],
  ['package', 'parcel', 'box', 'shipment', 'delivery'],
  ['order', 'purchase', 'buy', 'bought', 'checkout'],
  ['late', 'delay', 'delayed', 'overdue', 'slow', 'still waiting', 'not arrived', 'not come', 'not turned up', 'not shown up', 'not here yet'],
  ['deadline', 'cut off', 'cutoff', 'latest', 'last day', 'last minute', 'in time', 'too late', 'by when'],
  ['not home', 'not at home', 'nobody home', 'nobody in', 'no one home', 'no one in', 'not be in', 'not be home', 'not be there', 'safe place', 'neighbour', 'neighbor', 'leave it', 'left outside', 'doorstep'],
  ['missing', 'lost', 'never arrived', 'not received', 'left out', 'absent', 'disappeared'],
  ['damaged', 'damage', 'broken', 'break', 'cracked', 'smashed', 'crushed', 'squashed', 'dented', 'torn', 'ripped', 'leaking', 'spoiled', 'rotten', 'mouldy', 'moldy', 'stale', 'gone off', 'not fresh', 'defective', 'faulty', 'fault', 'defect', 'not working', 'stopped working'],
  ['track', 'tracking', 'trace', 'follow', 'status', 'where is'],
  ['price', 'cost', 'fee', 'charge', 'how much', 'expensive', 'cheap', 'rate', 'amount', 'pay'],
  ['bill', 'billing', 'charge', 'invoice', 'receipt', 'statement', 'payment', 'debit', 'transaction', 'take money', 'take payment', 'taken'],
  ['card', 'credit card', 'debit card', 'payment method', 'visa', 'mastercard', 'amex', 'paypal', 'apple pay', 'google pay'],
  ['money', 'cash', 'funds', 'payment', 'pay'],
  ['fail', 'failed', 'failure', 'declined', 'rejected', 'bounced', 'unsuccessful', 'not go through', 'not work', 'error'],
  ['free', 'no charge', 'no cost', 'complimentary', 'without charge'],
  ['discount', 'promo', 'promo code', 'promotion', 'coupon', 'voucher', 'code', 'offer', 'deal', 'sale', 'reduction'],
  ['gift', 'gift card', 'gift voucher', 'present'],
  ['refer', 'referral', 'recommend', 'invite', 'friend'],
  ['cancel', 'cancellation', 'stop', 'end', 'terminate', 'quit', 'unsubscribe', 'close'],
  ['subscription', 'subscribe', 'plan', 'membership', 'member', 'recurring'],
  ['pause', 'skip', 'hold', 'break', 'suspend', 'freeze', 'away', 'holiday', 'vacation'],
  ['account', 'profile', 'login', 'log in', 'sign in', 'signin', 'logon', 'username'],
  ['password', 'passcode', 'credentials', 'reset', 'forgot password', 'forgotten password', 'locked out'],
  ['change', 'modify', 'edit', 'update', 'amend', 'alter', 'switch'],
  ['address', 'location', 'postcode', 'zip', 'postal code', 'move house', 'moving house'],
  ['international', 'abroad', 'overseas', 'worldwide', 'outside', 'foreign', 'country', 'countries'],
  ['immediately', 'right away', 'straight away', 'at once', 'instantly', 'asap'],
  ['express', 'fast', 'faster', 'quick', 'quickly', 'expedited', 'next day', 'priority', 'rush', 'urgent', 'asap'],
  ['warranty', 'guarantee', 'guaranteed', 'repair', 'fix', 'faulty'],
  ['contact', 'reach', 'call', 'phone', 'telephone', 'phone number', 'email', 'chat', 'live chat', 'speak', 'talk', 'human', 'person', 'agent', 'representative', 'support', 'customer service', 'customer care', 'helpline'],
  ['hours', 'open', 'opening hours', 'available', 'closed', 'weekend'],
  ['delete', 'remove', 'erase', 'close account', 'personal data', 'privacy', 'gdpr'],
  ['size', 'fit', 'fitting', 'measurement', 'too small', 'too big', 'tight', 'loose'],
  ['stock', 'in stock', 'out of stock', 'sold out', 'restock', 'back in stock', 'availability'],
  ['expire', 'expiry', 'expiration', 'valid', 'validity', 'run out', 'use by', 'best before', 'go off', 'spoil', 'last', 'keep', 'fresh'],
  ['allergy', 'allergic', 'allergen', 'intolerance', 'intolerant'],
  ['vegetarian', 'vegan', 'plant based', 'meat free', 'dairy free', 'gluten free', 'diet', 'dietary'],
  ['recycle', 'recyclable', 'recycling', 'dispose', 'disposal', 'throw away', 'get rid', 'bin', 'waste', 'rubbish', 'trash'],
  ['choose', 'pick', 'select', 'choice', 'selection'],
  ['answer', 'reply', 'respond', 'response', 'get back to', 'hear back'],
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'weekday', 'weekend'],
  ['problem', 'issue', 'wrong', 'complaint', 'complain', 'report'],
  ['instruction', 'instructions', 'guide', 'manual', 'how to use', 'set up', 'setup', 'install'],
];

const GROUPS = [...SUPPORT_GROUPS, ...EVERYDAY_GROUPS];

/**
 * Question shapes that say what kind of fact is wanted. They do not decide which article answers,
 * they pick the sentence: "how long" wants a duration, "how much" an amount.
 */
export type Intent = 'duration' | 'amount' | 'number' | 'when' | 'day' | 'clock' | 'contact';

export const INTENT_PHRASES: Array<[string, Intent]> = [
  ['how long', 'duration'],
  ['how many days', 'duration'],
  ['how many weeks', 'duration'],
  ['how soon', 'duration'],
  ['how quickly', 'duration'],
  ['how fast', 'duration'],
  ['how quick', 'duration'],
  ['how much', 'amount'],
  ['what do i get', 'amount'],
  ['cost', 'amount'],
  ['price', 'amount'],
  ['fee', 'amount'],
  ['charge for', 'amount'],
  ['is there a charge', 'amount'],
  ['do you charge', 'amount'],
  ['expensive', 'amount'],
  ['how many', 'number'],
  ['latest', 'when'],
  ['deadline', 'when'],
  ['cut off', 'when'],
  ['what time', 'clock'],
  ['what times', 'clock'],
  ['what hours', 'clock'],
  ['what day', 'day'],
  ['which day', 'day'],
  ['what days', 'day'],
  ['which days', 'day'],
  ['when', 'when'],
  ['monday', 'day'],
  ['tuesday', 'day'],
  ['wednesday', 'day'],
  ['thursday', 'day'],
  ['friday', 'day'],
  ['saturday', 'day'],
  ['sunday', 'day'],
  ['weekend', 'day'],
  ['phone number', 'contact'],
];

export interface Phrase {
  stems: string[];
  groups: number[];
}

/** Stem → the groups a single word belongs to. */
export const WORD_GROUPS = new Map<string, number[]>();
/** Multi-word members, longest first, so "credit card" wins over "credit". */
export const PHRASES: Phrase[] = [];
/** Each group's words, as written (the full-text engines stem them their own way). */
export const GROUP_WORDS: string[][] = [];

GROUPS.forEach((members, group) => {
  const words: string[] = [];
  const phraseIndex = new Map<string, Phrase>();
  for (const member of members) {
    const tokens = tokenize(member);
    if (tokens.length === 1) {
      const s = stem(tokens[0]);
      const list = WORD_GROUPS.get(s) ?? [];
      if (!list.includes(group)) list.push(group);
      WORD_GROUPS.set(s, list);
      words.push(tokens[0]);
    } else if (tokens.length > 1) {
      // Search for the phrase's telling words too: "not arrived" finds passages with "arrived".
      for (const t of tokens) if (!isStopword(t) && !words.includes(t)) words.push(t);
      const stems = tokens.map(stem);
      const key = stems.join(' ');
      const existing = PHRASES.find((p) => p.stems.join(' ') === key) ?? phraseIndex.get(key);
      if (existing) {
        if (!existing.groups.includes(group)) existing.groups.push(group);
      } else {
        const phrase = { stems, groups: [group] };
        phraseIndex.set(key, phrase);
        PHRASES.push(phrase);
      }
    }
  }
  GROUP_WORDS.push(words);
});
PHRASES.sort((a, b) => b.stems.length - a.stems.length);

export const INTENTS: Array<{ stems: string[]; intent: Intent }> = INTENT_PHRASES.map(([p, intent]) => ({
  stems: tokenize(p).map(stem),
  intent,
})).sort((a, b) => b.stems.length - a.stems.length);

/**
 * Whether `phrase` occurs at `at` in a stem sequence, allowing one word in between each pair
 * ("send it back", "log me in"). Returns the index after the match, or -1.
 */
export function phraseAt(stems: string[], at: number, phrase: string[]): number {
  if (stems[at] !== phrase[0]) return -1;
  let i = at;
  for (let k = 1; k < phrase.length; k++) {
    if (stems[i + 1] === phrase[k]) i += 1;
    else if (stems[i + 2] === phrase[k]) i += 2;
    else return -1;
  }
  return i + 1;
}
