/**
 * The help centre of "Parley Demo Store", a fictional online shop for clothing and home goods.
 * A fresh workspace's demo agent answers from these articles, so the facts are specific (days,
 * prices, limits) and an answer can be checked against them.
 */
export const DEMO_DOCUMENTS: Array<{ title: string; body: string; url?: string }> = [
  {
    title: 'Returns and refunds',
    url: 'https://demo-store.parley.example/help/returns-and-refunds',
    body: `You can return most items within 30 days of delivery for a full refund. Items must be unused, unwashed and in their original packaging with the tags attached.

## How to start a return
Go to Orders in your account, choose the order and select "Return items". Print the prepaid return label we email you and drop the parcel at any post office or parcel locker. Returns are free for customers in the United States; international customers pay for return shipping.

## Refunds
Once your return reaches our warehouse, we inspect it within 2 business days. Your refund is then issued to your original payment method and usually appears within 5 to 7 business days, depending on your bank. Original shipping charges are refunded only if the item arrived damaged or was not what you ordered.

## Items that cannot be returned
For hygiene reasons, earrings, swimwear with a removed hygiene liner, and personalised items cannot be returned unless they are faulty. Gift cards are non-refundable.`,
  },
  {
    title: 'Shipping and delivery',
    url: 'https://demo-store.parley.example/help/shipping',
    body: `We ship within the United States and to international addresses in Canada and most of Europe. Orders placed before 2 pm Eastern Time on a business day leave our warehouse the same day.

## Delivery options and costs
Standard shipping takes 3 to 5 business days and costs $4.95. It is free on orders over $50. Express shipping takes 1 to 2 business days and costs $14.95. Deliveries to Canada and Europe take 7 to 12 business days and cost $19.95.

## Tracking your order
As soon as your parcel ships you receive an email with a tracking link. You can also follow every order under Orders in your account.

## Late or lost parcels
If your tracking has not updated for 5 business days, or your parcel has not arrived 10 business days after shipping, contact us and we will send a replacement or refund you in full.`,
  },
  {
    title: 'Billing and payments',
    url: 'https://demo-store.parley.example/help/billing',
    body: `We accept Visa, Mastercard, American Express, Discover, PayPal, Apple Pay and Google Pay. Prices are shown in US dollars and include no hidden fees.

Your card is authorised when you place an order and charged only when the order ships. If an order is split into several parcels, you may see a separate charge for each one.

An invoice is emailed to you for every order and can be downloaded as a PDF from Orders in your account. If you see a charge you do not recognise, or you were charged twice, contact our billing team at billing@demo-store.example within 60 days and we will investigate.

Parley Plus members pay $9.99 per month or $99 per year for free express shipping and early access to sales. You can cancel the membership at any time from Account > Membership; you keep the benefits until the end of the period you have paid for.`,
  },
  {
    title: 'Your account and password',
    url: 'https://demo-store.parley.example/help/account',
    body: `To reset your password, select "Forgot password?" on the sign-in page and enter your email address. We will send you a reset link that is valid for 24 hours. If the email does not arrive within 10 minutes, check your spam folder.

For your security, your account is locked for 30 minutes after 5 failed sign-in attempts.

You can change your email address, phone number and saved addresses under Account > Profile. To close your account and delete your personal data, contact support; we complete deletion requests within 30 days.`,
  },
  {
    title: 'Changing or cancelling an order',
    url: 'https://demo-store.parley.example/help/order-changes',
    body: `You can change or cancel an order within 1 hour of placing it. Go to Orders in your account and select "Edit order" or "Cancel order".

After 1 hour your order is already being packed and can no longer be changed. You can still refuse the delivery or send the items back for a refund under our returns policy.

If you cancel within the first hour, the authorisation on your card is released immediately; depending on your bank it can take up to 3 business days to disappear from your statement.`,
  },
  {
    title: 'Warranty and faulty items',
    url: 'https://demo-store.parley.example/help/warranty',
    body: `All home goods and electronics come with a 2-year warranty against manufacturing defects. Clothing and shoes are covered for 90 days.

If something you bought is faulty, contact us with your order number and a photo of the fault. We will repair or replace the item, or refund you if a replacement is not available. We cover the shipping costs for warranty claims.

The warranty does not cover normal wear and tear, accidental damage or items that have been modified.`,
  },
  {
    title: 'Contacting customer support',
    url: 'https://demo-store.parley.example/help/contact',
    body: `Our support team is available by chat and email from 8 am to 8 pm Eastern Time, Monday to Saturday. We answer emails sent to support@demo-store.example within one business day.

You can also call us on 1-800-555-0199 from 9 am to 5 pm Eastern Time, Monday to Friday.`,
  },
];
