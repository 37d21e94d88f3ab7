import { describe, expect, it } from 'vitest';
import { stripQuotes } from './email.quotes.js';

/** What a reply's message keeps: the customer's new words, not the mail it answers nor the signature. */
describe('stripping quotes and signatures from a reply', () => {
  it("removes Gmail's attribution (wrapped over two lines) and its quote", () => {
    const text = [
      'Yes, the blue one please.',
      '',
      'On Tue, Dec 3, 2024 at 10:02 AM Shop support <support+abc123@shop.example>',
      'wrote:',
      '',
      '> Which colour would you like?',
      '>',
      '> On Mon, Dec 2, 2024 at 9:00 AM Jane <jane@example.com> wrote:',
      '> > I want to order the jacket.',
    ].join('\n');
    expect(stripQuotes(text)).toBe('Yes, the blue one please.');
  });

  it("removes Outlook's header block and the quoted mail under it", () => {
    const text = [
      'Hi,',
      '',
      'the invoice number is 2024-118.',
      '',
      'Kind regards',
      'Peter',
      '',
      '________________________________',
      'From: Shop support <support@shop.example>',
      'Sent: Tuesday, December 3, 2024 10:02 AM',
      'To: Peter Miller <peter@example.com>',
      'Subject: RE: Invoice',
      '',
      'Could you send us the invoice number?',
    ].join('\n');
    expect(stripQuotes(text)).toBe('Hi,\n\nthe invoice number is 2024-118.\n\nKind regards\nPeter');
  });

  it('removes an "Original Message" block', () => {
    const text = ['Thanks, that worked.', '', '-----Original Message-----', 'From: Shop support', 'Sent: Monday', 'Please restart the app.'].join('\n');
    expect(stripQuotes(text)).toBe('Thanks, that worked.');
  });

  it("removes Apple Mail's attribution and the phone's signature", () => {
    const text = ['Perfect, see you then!', '', 'Sent from my iPhone', '', '> On 3 Dec 2024, at 10:02, Shop support <support@shop.example> wrote:', '> ', '> Your order ships today.'].join('\n');
    expect(stripQuotes(text)).toBe('Perfect, see you then!');
    expect(stripQuotes('Perfect.\n\nOn 3 Dec 2024, at 10:02, Shop support <support@shop.example> wrote:\n\n> Ships today.')).toBe('Perfect.');
  });

  it('removes German, French and Spanish attributions', () => {
    expect(stripQuotes('Danke, alles klar.\n\nAm Di., 3. Dez. 2024 um 10:02 Uhr schrieb Shop support <support@shop.example>:\n> Ihre Bestellung ist unterwegs.')).toBe(
      'Danke, alles klar.',
    );
    expect(stripQuotes('Danke!\n\nVon meinem iPhone gesendet')).toBe('Danke!');
    expect(stripQuotes('Merci beaucoup.\n\nLe mar. 3 déc. 2024 à 10:02, Shop support <support@shop.example> a écrit :\n> Votre commande est partie.')).toBe('Merci beaucoup.');
    expect(stripQuotes('Muchas gracias.\n\nEl mar, 3 dic 2024 a las 10:02, Shop support (<support@shop.example>) escribió:\n> Su pedido está en camino.')).toBe(
      'Muchas gracias.',
    );
  });

  it('cuts at the "-- " signature delimiter', () => {
    expect(stripQuotes('Please cancel order 55.\n\n-- \nJane Doe\nHead of Purchasing\nACME Ltd.')).toBe('Please cancel order 55.');
  });

  it('keeps answers written between quoted lines, and a quote in the middle of the text', () => {
    const inline = ['> Which size?', 'Medium.', '', '> Which colour?', 'Blue.'].join('\n');
    expect(stripQuotes(inline)).toBe(inline);
    expect(stripQuotes('On Monday I ordered a jacket and it has not arrived.')).toBe('On Monday I ordered a jacket and it has not arrived.');
    expect(stripQuotes('Hi\n\nfrom: the warehouse, they said it left.\n\nThanks')).toBe('Hi\n\nfrom: the warehouse, they said it left.\n\nThanks');
  });

  it('never strips a mail to nothing: one that is all quote is kept whole', () => {
    const all = '> Your order ships today.\n> Regards';
    expect(stripQuotes(all)).toBe(all);
    const forwarded = '-----Original Message-----\nFrom: Bob\nSent: Monday\nTo: Jane\nSubject: Order\n\nThe order is late.';
    expect(stripQuotes(forwarded)).toBe(forwarded);
    expect(stripQuotes('Thanks!\r\n\r\n> quoted')).toBe('Thanks!');
  });
});
