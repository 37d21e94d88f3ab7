/**
 * A fourth business, "Ferngrove Gyms", a small gym chain: written before the word-vector work was
 * run even once, and never tuned on. Its questions use the customer's words rather than the
 * articles' ("can I bring a mate?" against "Guest passes"), and its off-topic questions include
 * some that use the gym's own nouns. Reported by `npm run eval`, never gated.
 */
import type { EvalArticle } from './helpcentre-articles.js';
import type { EvalQuestion } from './helpcentre.js';

const BASE = 'https://help.ferngrove.example';

export const SECOND_FRESH_ARTICLES: EvalArticle[] = [
  {
    key: 'memberships',
    title: 'Membership options and prices',
    url: `${BASE}/memberships`,
    body: `Our Flex membership costs £29 a month with no minimum term. The Annual membership costs £270 paid up front, which saves you about £78 over a year.

Students with a valid student card get 20% off the Flex membership. There is a one-off joining fee of £15 for new members, which we waive during our January offer.`,
  },
  {
    key: 'freeze',
    title: 'Freezing your membership',
    url: `${BASE}/freeze`,
    body: `If you are injured, travelling or just need time off, you can freeze your membership for between 1 and 3 months. Freezing costs £5 a month and keeps your current price.

Request a freeze in the app under Membership > Freeze at least 5 days before your next payment date.`,
  },
  {
    key: 'cancel',
    title: 'Cancelling your membership',
    url: `${BASE}/cancel`,
    body: `You can cancel a Flex membership at any time in the app under Membership > Cancel. We need one month's notice, so your final payment will be taken on your next billing date.

Annual memberships cannot be cancelled part-way through the year, except for medical reasons with a doctor's note.`,
  },
  {
    key: 'hours',
    title: 'Opening hours',
    url: `${BASE}/hours`,
    body: `All Ferngrove gyms are open 6 am to 10 pm Monday to Friday, and 8 am to 8 pm at weekends.

On bank holidays we open 9 am to 5 pm. The gyms are closed on Christmas Day.`,
  },
  {
    key: 'classes',
    title: 'Booking group classes',
    url: `${BASE}/classes`,
    body: `Classes such as spin, yoga and HIIT are included in every membership. Booking opens 7 days in advance in the app, and each class holds up to 20 people.

If you cannot make it, cancel at least 2 hours before the start. Members who miss three booked classes in a month without cancelling cannot book for the next 7 days.`,
  },
  {
    key: 'guests',
    title: 'Guest passes',
    url: `${BASE}/guests`,
    body: `Every member can bring one guest per visit, up to 4 times a month. Guests must be over 16 and fill in a health questionnaire at reception before training.

A day pass for non-members costs £8.`,
  },
  {
    key: 'age',
    title: 'Age requirements',
    url: `${BASE}/age`,
    body: `You must be 16 or over to join. Members aged 14 and 15 can train during our Teen Sessions, on weekday afternoons from 3 pm to 6 pm, with a signed consent form from a parent or guardian.`,
  },
  {
    key: 'lockers',
    title: 'Lockers and lost property',
    url: `${BASE}/lockers`,
    body: `Lockers are free to use during your visit and lock with a 4-digit code you choose. Bring your own padlock if you prefer. Lockers left locked overnight are emptied.

Lost property is kept at reception for 14 days, after which it is donated to charity.`,
  },
  {
    key: 'training',
    title: 'Personal training',
    url: `${BASE}/personal-training`,
    body: `Our personal trainers offer one-to-one sessions of 45 minutes for £35, or a block of 10 sessions for £300. Your first session includes a free fitness assessment.

Book a trainer at reception or in the app under Trainers.`,
  },
];

export const SECOND_FRESH_QUESTIONS: EvalQuestion[] = [
  { question: 'how much does it cost to join per month?', expect: '£29', article: 'memberships' },
  { question: 'do you do cheaper rates for uni students?', expect: '20%', article: 'memberships' },
  { question: 'is there a sign-up fee?', expect: '£15', article: 'memberships' },
  { question: "I've broken my leg, can I put my membership on hold?", expect: 'freeze', article: 'freeze' },
  { question: 'how much is it to pause my membership while I travel?', expect: '£5', article: 'freeze' },
  { question: 'how do I quit the gym?', expect: 'Membership > Cancel', article: 'cancel' },
  { question: 'can I get out of my yearly contract early?', expect: 'medical reasons', article: 'cancel' },
  { question: 'what time do you shut on weekdays?', expect: '10 pm', article: 'hours' },
  { question: 'are you open on Christmas?', expect: 'closed on Christmas Day', article: 'hours' },
  { question: 'how far ahead can I reserve a spin session?', expect: '7 days', article: 'classes' },
  { question: 'what happens if I skip a class I signed up for?', expect: 'three booked classes', article: 'classes' },
  { question: 'can I bring a friend along with me?', expect: 'one guest', article: 'guests' },
  { question: "how much for a single visit if I'm not a member?", expect: '£8', article: 'guests' },
  { question: 'can my 14 year old daughter work out with me?', expect: 'Teen Sessions', article: 'age' },
  { question: 'do I need a padlock for the changing rooms?', expect: '4-digit code', article: 'lockers' },
  { question: 'I think I left my headphones at the gym', expect: '14 days', article: 'lockers' },
  { question: 'how much is a PT session?', expect: '£35', article: 'training' },
  { question: 'how long is a session with a trainer?', expect: '45 minutes', article: 'training' },
];

export const SECOND_FRESH_OFF_TOPIC: string[] = [
  'What exercises are best for building bigger arms?',
  'How many calories does a 5k run burn?',
  'Can you recommend a good physiotherapist?',
  'Do you sell dumbbells for home workouts?',
  'What time does the supermarket next door close?',
  'Who won the Wimbledon final?',
  'How do I fix a puncture on my bike?',
  'Is it going to snow tomorrow?',
];
