/**
 * The evaluation set: a help centre of a business unlike the demo store, questions written the
 * way customers write them (their words, not the articles'), and questions the help centre cannot
 * answer, which must be declined. The questions were written before the responder was tuned;
 * do not tailor the responder's vocabulary to individual questions.
 */
import { ARTICLES, type EvalArticle } from './helpcentre-articles.js';

export { ARTICLES, type EvalArticle };

export interface EvalQuestion {
  question: string;
  /** A short string the answer must contain (case-insensitive). */
  expect: string;
  /** The key of the article it should come from. */
  article: string;
}

export const QUESTIONS: EvalQuestion[] = [
  { question: 'how much is it for a couple doing 3 meals a week?', expect: '£39.99', article: 'plans' },
  { question: 'Is there a charge for delivery?', expect: '£3.99', article: 'plans' },
  { question: "I'm away next week, can I not get a box that week?", expect: 'skip', article: 'skip' },
  { question: "What's the latest I can skip a week?", expect: 'Wednesday', article: 'skip' },
  { question: 'will I pay anything for weeks I skip?', expect: 'never charged', article: 'skip' },
  { question: 'Can I take a break from my subscription for a couple of months?', expect: '12 weeks', article: 'pause' },
  { question: 'how do i stop my subscription', expect: 'Cancel plan', article: 'cancel' },
  { question: 'Is there a fee if I quit?', expect: 'no cancellation fee', article: 'cancel' },
  { question: 'which days of the week do you deliver?', expect: 'Thursday to Sunday', article: 'delivery-days' },
  { question: 'What time will the courier turn up?', expect: '7 am', article: 'delivery-days' },
  { question: "It's 9pm and my food still hasn't come, what should I do?", expect: 'live chat', article: 'delivery-days' },
  { question: 'Do you send boxes to Belfast in Northern Ireland?', expect: 'Northern Ireland', article: 'areas' },
  { question: 'can you ship to France?', expect: 'outside the United Kingdom', article: 'areas' },
  { question: "I'm at work all day, will the food go off if nobody's in?", expect: '48 hours', article: 'not-home' },
  { question: 'Can the driver leave it in my shed?', expect: 'safe place', article: 'not-home' },
  { question: 'my chicken was missing from the box', expect: '7 days', article: 'missing' },
  { question: 'the eggs arrived broken, will I get my money back?', expect: 'credit', article: 'missing' },
  { question: 'how long until a refund shows up in my bank account?', expect: '3 to 5 working days', article: 'missing' },
  { question: 'My son has a peanut allergy, are your meals safe for him?', expect: 'cannot guarantee', article: 'allergens' },
  { question: 'Do you have plant-based meals?', expect: 'vegan', article: 'allergens' },
  { question: 'what do I do with the wool insulation?', expect: 'compost', article: 'recycling' },
  { question: 'How do I get rid of the ice packs?', expect: 'general waste', article: 'recycling' },
  { question: 'How long does the fish keep?', expect: '3 days', article: 'storage' },
  { question: 'Should I put everything in the fridge right away?', expect: '2 hours', article: 'storage' },
  { question: 'When does the new menu come out?', expect: 'Tuesday', article: 'menu' },
  { question: "What happens if I forget to pick my meals?", expect: 'chefs will choose', article: 'menu' },
  { question: 'Why do some dishes cost extra?', expect: 'premium', article: 'menu' },
  { question: 'Can I pay with PayPal?', expect: 'PayPal', article: 'payments' },
  { question: 'what day do you take the money from my account?', expect: 'Thursday', article: 'payments' },
  { question: 'how do I switch to a new credit card?', expect: 'Payment methods', article: 'payments' },
  { question: "Is there a discount for my first order?", expect: '50%', article: 'vouchers' },
  { question: 'Can I use two promo codes on one box?', expect: 'one code', article: 'vouchers' },
  { question: 'What do I get for recommending you to a mate?', expect: '£15', article: 'referral' },
  { question: 'How long before a gift voucher runs out?', expect: '24 months', article: 'gift-cards' },
  { question: "I'm moving house next month, how do I update where you deliver?", expect: 'Account settings > Delivery', article: 'address' },
  { question: "I can't log in, I've forgotten my password", expect: 'Forgot password', article: 'account' },
  { question: 'how long does the reset email link last?', expect: '1 hour', article: 'account' },
  { question: 'how many calories are in a typical meal?', expect: '550', article: 'nutrition' },
  { question: 'What is your phone number?', expect: '0330 123 4567', article: 'contact' },
  { question: 'How long does a recipe take to make?', expect: '25 to 40 minutes', article: 'cooking' },
  { question: 'Do I need any special pots and pans?', expect: 'frying pan', article: 'cooking' },
];

/** Questions the help centre does not answer: the responder must decline every one of them. */
export const OFF_TOPIC: string[] = [
  "What's the weather going to be like this weekend?",
  'Can you recommend a good laptop for university?',
  'Who won the Champions League final last year?',
  'Write me a short poem about autumn.',
  'How do I file my tax return?',
  'What is the capital of Canada?',
  "How do I fix a flat tyre on my car?",
  'Do you sell garden furniture?',
  'What time does the cinema open tonight?',
  'How do I reset my wifi router?',
  'Is bitcoin a good investment right now?',
  "How do I say 'thank you' in Japanese?",
];

/**
 * A second set, written after the responder had been tuned on the set above. Its first run, before
 * any change, scored 70.0% accuracy and 100% decline; later general changes were made after its
 * failures had been read, so it is no longer held out. scripts/eval/fresh.ts is.
 */
export const HELD_OUT_QUESTIONS: EvalQuestion[] = [
  { question: "what's the cheapest price per serving?", expect: '£3.75', article: 'plans' },
  { question: "can I change how many people I'm cooking for?", expect: 'Account settings > Plan', article: 'plans' },
  { question: 'how far ahead can I skip deliveries?', expect: '8 weeks', article: 'skip' },
  { question: 'Will you remind me before my boxes start again?', expect: '7 days', article: 'pause' },
  { question: 'if I cancel will I lose my vouchers?', expect: 'kept', article: 'cancel' },
  { question: 'can I get my box on a Monday?', expect: 'Thursday to Sunday', article: 'delivery-days' },
  { question: 'how will I know when the driver is coming?', expect: 'text message', article: 'delivery-days' },
  { question: 'do you deliver to the Isle of Man?', expect: 'not yet able', article: 'areas' },
  { question: 'how do I check if you cover my area?', expect: 'postcode', article: 'areas' },
  { question: 'will the courier show me where he put the box?', expect: 'photo', article: 'not-home' },
  { question: 'some of the veg in my box was rotten', expect: '7 days', article: 'missing' },
  { question: 'do your meals contain sesame?', expect: '14', article: 'allergens' },
  { question: 'can I compost the liners?', expect: "sheep's wool", article: 'recycling' },
  { question: 'is the box recyclable?', expect: 'household recycling', article: 'recycling' },
  { question: 'how long does the meat last?', expect: '4 days', article: 'storage' },
  { question: "what if something's already past its date when it arrives?", expect: 'Report an issue', article: 'storage' },
  { question: 'how many recipes are on the menu each week?', expect: '30', article: 'menu' },
  { question: "what happens if my payment doesn't go through?", expect: '24 hours', article: 'payments' },
  { question: 'do you take cash?', expect: 'cannot accept cash', article: 'payments' },
  { question: "my promo code isn't working", expect: 'expiry date', article: 'vouchers' },
  { question: 'how much does my friend save with my link?', expect: '£20', article: 'referral' },
  { question: 'how do I use a gift card I was given?', expect: '16-character code', article: 'gift-cards' },
  { question: 'can I send one box to my office?', expect: 'Deliver this box elsewhere', article: 'address' },
  { question: 'how do I change the email on my account?', expect: 'Personal details', article: 'account' },
  { question: 'I want you to delete all my data', expect: '30 days', article: 'account' },
  { question: 'are there low calorie options?', expect: '600 kcal', article: 'nutrition' },
  { question: 'when can I call you?', expect: '9 am to 5 pm', article: 'contact' },
  { question: 'how quickly do you answer emails?', expect: '24 hours', article: 'contact' },
  { question: 'do I need to buy olive oil?', expect: 'not included', article: 'cooking' },
  { question: 'are there any quick recipes?', expect: '20 minutes', article: 'cooking' },
];

export const HELD_OUT_OFF_TOPIC: string[] = [
  "What's a good recipe for banana bread?",
  'Can you help me write a cover letter?',
  "What's the population of London?",
  'How do I unblock my kitchen sink?',
  'Which supermarket has the cheapest milk?',
  'How many goals did Messi score last season?',
  "What's the best way to lose weight?",
  'Can you order me a taxi?',
];
