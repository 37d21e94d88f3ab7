/**
 * The help centre of "Crate & Ladle", a fictional UK meal-kit company. It is deliberately unlike
 * the demo store (src/modules/accounts/demo-knowledge.ts) so the evaluation measures the responder,
 * not how well it was fitted to the demo articles.
 */
export interface EvalArticle {
  /** A stable key the questions refer to. */
  key: string;
  title: string;
  body: string;
  url?: string;
}

const BASE = 'https://help.crateandladle.example/articles';

export const ARTICLES: EvalArticle[] = [
  {
    key: 'plans',
    title: 'How our plans and prices work',
    url: `${BASE}/plans-and-prices`,
    body: `Crate & Ladle is a weekly subscription. You choose how many people you are cooking for (2 or 4) and how many recipes you want each week (3, 4 or 5).

## Prices
A box of 3 recipes for 2 people costs £39.99, which works out at £6.67 per serving. The more you cook, the less you pay per serving: our 5-recipe plan for 4 people comes to £3.75 per serving. Every box is delivered for a flat fee of £3.99, whatever its size.

## Changing your plan
You can switch plan sizes at any time from Account settings > Plan. A new plan size applies to the first box that has not yet passed its weekly cut-off.`,
  },
  {
    key: 'skip',
    title: 'Skipping a delivery',
    url: `${BASE}/skipping-a-delivery`,
    body: `Going on holiday or eating out a lot this week? You can skip any upcoming box from the Deliveries page: open the week and choose "Skip this week".

You can skip as many weeks as you like, up to 8 weeks ahead. Skipped weeks are never charged.

The deadline to skip a box is 11:59 pm on the Wednesday before its delivery. After that we have already ordered the ingredients for you, so the box will be sent and charged as usual.`,
  },
  {
    key: 'pause',
    title: 'Pausing your subscription',
    url: `${BASE}/pausing`,
    body: `If you need a longer break, pausing is easier than skipping week by week. Go to Account settings > Plan > Pause and choose how long: you can pause for up to 12 weeks at a time.

While your subscription is paused you will not receive boxes or be charged. We will email you a reminder 7 days before your deliveries restart, and you can resume early whenever you want.`,
  },
  {
    key: 'cancel',
    title: 'Cancelling your subscription',
    url: `${BASE}/cancelling`,
    body: `We're sorry to see you go! You can cancel online at any time; there is no minimum term and no cancellation fee.

To cancel, go to Account settings > Plan and select "Cancel plan", then follow the steps. You will receive a confirmation email once it is done.

Please note that a box which has already passed its Wednesday cut-off will still be delivered and charged. Your account stays open after cancelling, so you can reactivate your plan later with a single click, and your saved recipes and vouchers are kept.`,
  },
  {
    key: 'delivery-days',
    title: 'Delivery days and time slots',
    url: `${BASE}/delivery-days`,
    body: `We deliver from Thursday to Sunday. You pick your regular delivery day when you sign up, and you can change the day for any single box on the Deliveries page.

Our couriers deliver between 7 am and 7 pm. On the morning of your delivery you will receive a text message with a one-hour arrival window and a link to follow the van live.

If your box has not arrived by 8 pm on your delivery day, please let us know through live chat and we will sort it out straight away.`,
  },
  {
    key: 'areas',
    title: 'Where we deliver',
    url: `${BASE}/delivery-areas`,
    body: `We currently deliver to most addresses in mainland England, Wales and Scotland. Enter your postcode on our homepage to check whether we cover your area.

We are not yet able to deliver to Northern Ireland, the Scottish Highlands and Islands, the Isle of Man or the Channel Islands. We do not ship outside the United Kingdom.`,
  },
  {
    key: 'not-home',
    title: "What happens if I'm not at home?",
    url: `${BASE}/not-at-home`,
    body: `You don't need to be in to receive your box. Our boxes are insulated and packed with ice packs, so the ingredients stay cold for up to 48 hours after delivery.

You can leave delivery instructions in Account settings > Delivery, such as a safe place (a porch or a shed) or a neighbour's door number. The courier will follow these instructions and send you a photo of where the box was left.`,
  },
  {
    key: 'missing',
    title: 'Missing or damaged ingredients',
    url: `${BASE}/missing-or-damaged`,
    body: `Occasionally something goes wrong between our kitchen and your door. If an ingredient is missing, damaged or not fresh, please report it within 7 days of delivery so we can put it right.

## How to report a problem
Go to Help > Report an issue, choose the delivery and tick the affected ingredients. A photo helps our team, especially for damaged items.

## What we do next
We add credit to your account for the affected recipes, usually within 24 hours. If you prefer, we can refund the amount to your card instead; refunds take 3 to 5 working days to reach your bank.`,
  },
  {
    key: 'allergens',
    title: 'Allergens and special diets',
    url: `${BASE}/allergens`,
    body: `Every recipe card and recipe page lists the 14 major allergens contained in that meal, including gluten, nuts, milk, eggs and sesame.

Our ingredients are packed in a kitchen that handles all 14 allergens, so we cannot guarantee that any meal is completely free from traces of them. If you have a severe allergy, we recommend checking each recipe carefully before choosing it.

Each week's menu also includes vegetarian, vegan and calorie-smart options, marked with a label on the menu. You can set dietary preferences in your account so that we suggest suitable meals first.`,
  },
  {
    key: 'recycling',
    title: 'Recycling your packaging',
    url: `${BASE}/recycling`,
    body: `We work hard to keep packaging to a minimum, and 90% of it can be recycled at home.

The cardboard box and paper bags go in your household recycling. Our insulation liners are made from sheep's wool: you can compost them, or send them back to us for free using the prepaid label printed inside the lid.

Ice packs are filled with a non-toxic gel made of water and plant starch. To dispose of one, cut the corner, pour the gel into your general waste bin (not down the sink) and recycle the film with soft plastics at your supermarket.`,
  },
  {
    key: 'storage',
    title: 'Storing your ingredients',
    url: `${BASE}/storing-ingredients`,
    body: `To keep everything at its best, put your ingredients in the fridge within 2 hours of opening your box. The dry store-cupboard ingredients can stay in the cupboard.

Meat and fish have the shortest life, so cook recipes with fish within 3 days of delivery and recipes with meat within 4 days. Vegetarian recipes generally keep for up to 5 days.

Each ingredient shows a use-by date on its label. If the use-by date has already passed when your box arrives, tell us through Help > Report an issue.`,
  },
  {
    key: 'menu',
    title: 'Choosing your recipes',
    url: `${BASE}/choosing-recipes`,
    body: `A new menu of 30 recipes is published every Tuesday at 10 am, three weeks ahead of delivery. You can choose your meals for any week on the Menu page.

You can change your recipe choices as often as you like until 11:59 pm on the Wednesday before your delivery. If you don't pick anything by then, our chefs will choose a selection for you based on your dietary preferences.

Some premium recipes, such as steak night or seafood specials, carry a small extra charge of £2 to £6 per serving, shown next to the recipe.`,
  },
  {
    key: 'payments',
    title: 'Payment methods and charge dates',
    url: `${BASE}/payments`,
    body: `We accept Visa, Mastercard and American Express debit and credit cards, as well as PayPal and Apple Pay. We cannot accept cash or bank transfers.

## When you are charged
Your payment is taken on the Thursday before each delivery, once the cut-off has passed. If you skip a week, nothing is charged for that week.

## Updating your card
To use a different card, go to Account settings > Payment methods and add the new card before the next charge date. If a payment fails, we retry once after 24 hours and email you.`,
  },
  {
    key: 'vouchers',
    title: 'Discount codes and vouchers',
    url: `${BASE}/vouchers`,
    body: `New customers get 50% off their first box with our welcome offer, applied automatically at checkout.

To add a discount code, enter it at checkout or in Account settings > Vouchers before the cut-off of the box you want it to apply to. Only one code can be used per box, and codes cannot be combined with each other.

If a code is not working, check its expiry date and any minimum order value shown in the terms of the offer.`,
  },
  {
    key: 'referral',
    title: 'Refer a friend',
    url: `${BASE}/refer-a-friend`,
    body: `Share your personal referral link, which you'll find on the Refer a friend page of your account. Your friend gets £20 off their first box.

Once their first box has been delivered, we add £15 of credit to your account. Credit is applied automatically to your next box. There is no limit to the number of friends you can refer.`,
  },
  {
    key: 'gift-cards',
    title: 'Gift cards',
    url: `${BASE}/gift-cards`,
    body: `Treat someone to a box with a Crate & Ladle gift card. Gift cards are available for £25, £50 and £100 and are sent by email, either straight away or on a date you choose.

To redeem a gift card, the recipient enters its 16-character code in Account settings > Vouchers. The value is added as credit and used on their next boxes. Gift cards are valid for 24 months from purchase and cannot be exchanged for cash.`,
  },
  {
    key: 'address',
    title: 'Changing your delivery address',
    url: `${BASE}/change-address`,
    body: `Moving house? You can update your delivery address in Account settings > Delivery. The new address applies to every box whose cut-off (11:59 pm on the Wednesday before delivery) has not yet passed.

If you need one box delivered somewhere else, for example to your office, open that week on the Deliveries page and choose "Deliver this box elsewhere". Please check that we deliver to the new postcode first.`,
  },
  {
    key: 'account',
    title: 'Your account, login and password',
    url: `${BASE}/account-and-password`,
    body: `To reset your password, click "Forgot password?" on the login page and enter the email address on your account. We will email you a reset link, which is valid for 1 hour. If it does not arrive, check your spam folder.

You can change your email address or phone number in Account settings > Personal details.

If you would like us to delete your account and personal data entirely, contact our customer care team. We will confirm by email within 30 days, as required by data protection law.`,
  },
  {
    key: 'nutrition',
    title: 'Portion sizes and nutrition',
    url: `${BASE}/nutrition`,
    body: `Our recipes are designed by our chefs and nutritionists to be satisfying and balanced. A standard serving contains between 550 and 750 kcal.

Our calorie-smart recipes contain no more than 600 kcal per serving. Full nutritional information (energy, fat, saturates, carbohydrate, sugars, protein, fibre and salt) is printed on every recipe card and shown on the recipe page.`,
  },
  {
    key: 'contact',
    title: 'Contacting customer care',
    url: `${BASE}/contact-us`,
    body: `The quickest way to reach us is live chat in the app or on our website, available every day from 8 am to 8 pm.

You can also call us on 0330 123 4567, Monday to Friday from 9 am to 5 pm, or email care@crateandladle.example. We reply to emails within 24 hours.`,
  },
  {
    key: 'cooking',
    title: 'Cooking times and kitchen equipment',
    url: `${BASE}/cooking-times`,
    body: `Most of our recipes take 25 to 40 minutes from start to finish. Recipes marked "Quick" are ready in 20 minutes or less.

You will need basic kitchen equipment: a large frying pan, a saucepan, a baking tray and a sharp knife. A few recipes also call for a grater or a sieve, and this is listed at the top of the recipe card along with store-cupboard staples such as olive oil, salt and pepper, which are not included in the box.`,
  },
];
