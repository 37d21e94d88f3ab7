import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillVariables } from '../../web/src/canned/variables.ts';
import { replaceToken, slashTokenAt } from '../../web/src/canned/slash.ts';
import { clearDraft, loadDraft, pruneDrafts, saveDraft } from '../../web/src/realtime/saved-drafts.ts';

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

/** A Storage over a Map, standing in for the browser's localStorage. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (i: number) => [...items.keys()][i] ?? null,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, String(v)),
    removeItem: (k: string) => void items.delete(k),
    clear: () => items.clear(),
  };
}

describe('drafts kept in the browser', () => {
  const DAY = 86_400_000;
  const g = globalThis as unknown as { window?: { localStorage: Storage } };
  beforeEach(() => {
    g.window = { localStorage: memoryStorage() };
  });
  afterEach(() => {
    delete g.window;
  });

  it('keeps a reply and a note per member and conversation, with when each was started', () => {
    saveDraft('tom', 'c1', 'operator', 'Hi', 1000);
    saveDraft('tom', 'c1', 'operator', 'Hi there', 2000);
    saveDraft('tom', 'c1', 'note', 'Check stock', 3000);
    expect(loadDraft('tom', 'c1', 'operator')).toEqual({ text: 'Hi there', startedAt: 1000, savedAt: 2000 });
    expect(loadDraft('tom', 'c1', 'note')?.text).toBe('Check stock');
    expect(loadDraft('ana', 'c1', 'operator')).toBeNull();
    expect(loadDraft('tom', 'c2', 'operator')).toBeNull();
    saveDraft('tom', 'c1', 'operator', '   ', 4000);
    expect(loadDraft('tom', 'c1', 'operator')).toBeNull();
    clearDraft('tom', 'c1', 'note');
    expect(loadDraft('tom', 'c1', 'note')).toBeNull();
  });

  it('prunes drafts older than 30 days and the oldest beyond 200', () => {
    const now = 100 * DAY;
    saveDraft('tom', 'old', 'operator', 'Forgotten', now - 31 * DAY);
    for (let i = 0; i < 205; i++) saveDraft('tom', `c${i}`, 'operator', `Draft ${i}`, now - 1000 + i);
    g.window!.localStorage.setItem('something-else', 'kept');
    pruneDrafts(now);
    expect(loadDraft('tom', 'old', 'operator')).toBeNull();
    expect(loadDraft('tom', 'c4', 'operator')).toBeNull();
    expect(loadDraft('tom', 'c5', 'operator')?.text).toBe('Draft 5');
    expect(loadDraft('tom', 'c204', 'operator')?.text).toBe('Draft 204');
    expect(g.window!.localStorage.length).toBe(201);
  });

  it('reads a damaged entry as no draft', () => {
    g.window!.localStorage.setItem('parley.draft.v1:tom:c1:operator', '{not json');
    expect(loadDraft('tom', 'c1', 'operator')).toBeNull();
  });
});
