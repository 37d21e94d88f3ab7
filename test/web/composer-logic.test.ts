import { describe, expect, it } from 'vitest';
import { fillVariables } from '../../web/src/canned/variables.ts';
import { replaceToken, slashTokenAt } from '../../web/src/canned/slash.ts';

const ctx = {
  contact: { name: 'Jane Doe', first_name: null, email: 'jane@example.com' },
  member: { name: 'Tom Baker' },
  conversation: { id: '0190a000-0000-7000-8000-000000000001' },
};

describe('filling a canned response’s variables', () => {
  it('fills every known variable', () => {
    const text = 'Hi {{contact.name}} / {{contact.first_name}} <{{contact.email}}>, {{member.name}} ({{member.first_name}}) #{{conversation.id}}';
    expect(fillVariables(text, ctx)).toBe('Hi Jane Doe / Jane <jane@example.com>, Tom Baker (Tom) #0190a000-0000-7000-8000-000000000001');
  });

  it('prefers the contact’s own first name and allows spaces inside the braces', () => {
    expect(fillVariables('Hi {{ contact.first_name }}!', { ...ctx, contact: { ...ctx.contact, first_name: 'Janie' } })).toBe('Hi Janie!');
  });

  it('turns a missing value into empty text', () => {
    expect(fillVariables('Hi {{contact.first_name}}, mail {{contact.email}}.', { contact: null, member: null })).toBe('Hi , mail .');
    expect(fillVariables('{{member.first_name}}|{{conversation.id}}', {})).toBe('|');
  });

  it('leaves unknown variables and stray braces as typed', () => {
    expect(fillVariables('{{contact.phone}} {{ticket}} {contact.name} {{contact.name', ctx)).toBe('{{contact.phone}} {{ticket}} {contact.name} {{contact.name');
  });

  it('fills a variable used twice, and leaves text without variables alone', () => {
    expect(fillVariables('{{member.first_name}} and {{member.first_name}}', ctx)).toBe('Tom and Tom');
    expect(fillVariables('Plain text, 100% {{ }}', ctx)).toBe('Plain text, 100% {{ }}');
  });
});

describe('the `/` that opens the canned response picker', () => {
  it('opens at the start of the text or after a space or line break', () => {
    expect(slashTokenAt('/', 1)).toEqual({ start: 0, query: '' });
    expect(slashTokenAt('/ref', 4)).toEqual({ start: 0, query: 'ref' });
    expect(slashTokenAt('Hello /ref', 10)).toEqual({ start: 6, query: 'ref' });
    expect(slashTokenAt('Hello\n/ref', 10)).toEqual({ start: 6, query: 'ref' });
  });

  it('stays shut inside words, URLs and after the word ends', () => {
    expect(slashTokenAt('and/or', 6)).toBeNull();
    expect(slashTokenAt('see https://x.io/a', 18)).toBeNull();
    expect(slashTokenAt('/ref done', 9)).toBeNull();
    expect(slashTokenAt('', 0)).toBeNull();
  });

  it('replaces just the token and puts the caret after the insertion', () => {
    const text = 'Hi /ref, bye';
    const token = slashTokenAt(text, 7)!;
    expect(replaceToken(text, token, 7, 'Refunds take 5 days')).toEqual({ text: 'Hi Refunds take 5 days, bye', caret: 22 });
  });
});
