/**
 * A third business, "Pedal & Go" city bike rental, written after all tuning was done and run once:
 * the check that the responder's vocabulary and mechanisms carry over to a help centre, and to
 * questions, that nobody looked at while building it. Reported by `npm run eval`, never tuned on.
 */
import type { EvalArticle } from './helpcentre-articles.js';
import type { EvalQuestion } from './helpcentre.js';

const BASE = 'https://help.pedalandgo.example';

export const FRESH_ARTICLES: EvalArticle[] = [
  {
    key: 'pricing',
    title: 'Rental prices',
    url: `${BASE}/prices`,
    body: `A city bike costs €3 to unlock plus €0.25 per minute. An e-bike costs €3 to unlock plus €0.40 per minute.

If you ride often, a Monthly Pass costs €19.90 and includes unlimited rides of up to 45 minutes each on city bikes. Minutes beyond 45 are charged at the normal rate.`,
  },
  {
    key: 'unlock',
    title: 'Starting and ending a ride',
    url: `${BASE}/rides`,
    body: `To start a ride, open the app, scan the QR code on the handlebar and wait for the lock to click open.

To end your ride, park the bike inside a marked Pedal & Go zone, close the lock by hand and wait for the confirmation screen in the app. If you leave a bike outside a zone, a €15 parking fee is added to your ride.`,
  },
  {
    key: 'account',
    title: 'Creating an account and age limits',
    url: `${BASE}/account`,
    body: `You need a smartphone with the Pedal & Go app, a valid payment card and an email address to sign up.

Riders must be at least 18 years old to rent an e-bike and at least 16 to rent a city bike. We may ask for an ID document to confirm your age.`,
  },
  {
    key: 'payment',
    title: 'Payments and receipts',
    url: `${BASE}/payments`,
    body: `We accept Visa, Mastercard, Apple Pay and Google Pay. A temporary hold of €10 is placed on your card when you start a ride and released within 3 business days.

A receipt for every ride is sent to your email address and can also be found under History in the app. Company riders can add a VAT number in Profile > Billing details to receive invoices.`,
  },
  {
    key: 'damage',
    title: 'Reporting a damaged bike or an accident',
    url: `${BASE}/damage`,
    body: `If a bike has a flat tyre, broken brakes or another fault, do not ride it. Tap "Report a problem" in the app, choose the issue and take a photo. Rides on faulty bikes that you report within 10 minutes are free.

In case of an accident, make sure everyone is safe first, then call our 24/7 line on +34 900 123 456. All rides include third-party insurance.`,
  },
  {
    key: 'helmets',
    title: 'Helmets and safety',
    url: `${BASE}/safety`,
    body: `Helmets are not included with our bikes, but we strongly recommend wearing one. Riders under 18 must wear a helmet by law.

Our e-bikes assist you up to 25 km/h. Lights switch on automatically when it gets dark.`,
  },
  {
    key: 'lost',
    title: 'Lost items and forgotten bikes',
    url: `${BASE}/lost-items`,
    body: `If you left something in a bike basket, contact us through the app within 48 hours and we will check whether our team found it. Found items are kept at our depot for 30 days.

If you forgot to end your ride, contact us as soon as possible: we can end it remotely and refund any time the bike was not moving.`,
  },
  {
    key: 'cancel',
    title: 'Cancelling your Monthly Pass',
    url: `${BASE}/cancel-pass`,
    body: `Your Monthly Pass renews automatically every month. You can cancel it at any time in Profile > Subscriptions; it will stay active until the end of the month you have paid for.

We do not offer refunds for partly used months.`,
  },
];

export const FRESH_QUESTIONS: EvalQuestion[] = [
  { question: 'how much does an electric bike cost per minute?', expect: '€0.40', article: 'pricing' },
  { question: 'is there a subscription for regular riders?', expect: '€19.90', article: 'pricing' },
  { question: 'how do I unlock a bike?', expect: 'QR code', article: 'unlock' },
  { question: 'what happens if I leave the bike somewhere random?', expect: '€15', article: 'unlock' },
  { question: 'can my 15 year old rent a bike?', expect: '16', article: 'account' },
  { question: 'why was 10 euros taken from my card?', expect: 'temporary hold', article: 'payment' },
  { question: 'where can I find my receipts?', expect: 'History', article: 'payment' },
  { question: 'the brakes on my bike are not working', expect: 'Report a problem', article: 'damage' },
  { question: 'I had a crash, who do I call?', expect: '+34 900 123 456', article: 'damage' },
  { question: 'do you give out helmets?', expect: 'not included', article: 'helmets' },
  { question: 'how fast do the e-bikes go?', expect: '25 km/h', article: 'helmets' },
  { question: 'I left my phone charger in the basket', expect: '48 hours', article: 'lost' },
  { question: "oops, I think I didn't end my ride yesterday", expect: 'end it remotely', article: 'lost' },
  { question: 'how do I stop my monthly pass?', expect: 'Profile > Subscriptions', article: 'cancel' },
  { question: 'will I get money back if I cancel mid-month?', expect: 'do not offer refunds', article: 'cancel' },
];

export const FRESH_OFF_TOPIC: string[] = [
  'What is the best cycling route to the beach?',
  'Can you recommend a good restaurant in Barcelona?',
  'How do I change a bike chain?',
  "What's the exchange rate for euros to dollars?",
  'Do you sell second-hand bikes?',
  'Is it going to rain this afternoon?',
];
