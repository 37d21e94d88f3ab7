import { describe, expect, it } from 'vitest';
import { handlesOf, mentionedIn, previewOf } from './notifications.mentions.js';

const members = [
  { id: 'maya', name: 'Maya Chen' },
  { id: 'chloe', name: 'Chloé Dubois' },
  { id: 'jl', name: 'Jean-Luc Picard' },
  { id: 'tom1', name: 'Tom Becker' },
  { id: 'tom2', name: 'Tom Hardy' },
];
const ids = (text: string) => mentionedIn(text, members).map((m) => m.id);

describe('mentions in a note', () => {
  it('knows a member by @ and their first name or full name without spaces, in any case or accent', () => {
    expect(handlesOf(' Maya  Chen ')).toEqual(['maya', 'mayachen']);
    expect(ids('@maya look')).toEqual(['maya']);
    expect(ids('cc @MayaChen.')).toEqual(['maya']);
    expect(ids('(@chloe) and @CHLOÉDUBOIS')).toEqual(['chloe']);
    expect(ids('@jean-luc, engage')).toEqual(['jl']);
  });

  it('takes whole words only, and no email addresses', () => {
    expect(ids('@mayabelle @mayachenx @tomorrow')).toEqual([]);
    expect(ids('write to maya@example.com or tom@example.com')).toEqual([]);
    expect(ids('@@maya')).toEqual([]);
    expect(ids('no one here')).toEqual([]);
  });

  it('mentions everyone who shares a first name; the full name tells them apart', () => {
    expect(ids('@tom')).toEqual(['tom1', 'tom2']);
    expect(ids('@tomhardy')).toEqual(['tom2']);
  });
});

describe('previews', () => {
  it('keeps the first 140 characters on one line, marking a cut', () => {
    expect(previewOf('  Hello\n\nthere  ')).toBe('Hello there');
    expect(previewOf('   ')).toBeNull();
    expect(previewOf(null)).toBeNull();
    const long = previewOf('x'.repeat(500))!;
    expect(long).toHaveLength(140);
    expect(long.endsWith('…')).toBe(true);
  });
});
