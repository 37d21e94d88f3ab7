import { describe, expect, it } from 'vitest';
import { shortName } from '../../web/src/inbox/authors.ts';
import { bulkOutcome } from '../../web/src/inbox/bulk.ts';
import { lastMessagePrefix, type LastMessage } from '../../web/src/inbox/last-message.ts';
import { toggleRows } from '../../web/src/inbox/selection.ts';
import { snoozePresets, snoozeProblem } from '../../web/src/inbox/snooze.ts';
import { tagLabel } from '../../web/src/inbox/tags.ts';
import { builtInFilters } from '../../web/src/inbox/views.ts';

const TEAM = ['Maya Chen', 'Tom Becker', 'Tom Ruiz'];
const short = (name: string) => shortName(name, TEAM);
const last = (role: LastMessage['role'], type: LastMessage['author']['type'], name: string | null): LastMessage => ({ role, content: 'Hi', author: { type, name } });

describe('the inbox list, worked out apart from the page', () => {
  it('says who wrote the last message: "AI", "You", a first name, nothing for the contact', () => {
    expect(lastMessagePrefix(last('assistant', 'agent', 'Demo Support Agent'), 'Maya Chen', short)).toBe('AI: ');
    expect(lastMessagePrefix(last('operator', 'member', 'Maya Chen'), 'Maya Chen', short)).toBe('You: ');
    expect(lastMessagePrefix(last('note', 'member', 'Maya Chen'), 'Tom Becker', short)).toBe('Maya (note): ');
    // Two Toms stay apart.
    expect(lastMessagePrefix(last('operator', 'member', 'Tom Becker'), 'Maya Chen', short)).toBe('Tom Becker: ');
    expect(lastMessagePrefix(last('user', 'contact', 'Alice'), 'Maya Chen', short)).toBe('');
    expect(lastMessagePrefix(last('operator', 'system', null), 'Maya Chen', short)).toBe('Automation: ');
  });

  it('selects a range with shift-click, and clears one when the anchor cleared', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    let state = toggleRows(new Set(), ids, 'b', false, null);
    state = toggleRows(state.picked, ids, 'd', true, state.anchor);
    expect([...state.picked].sort()).toEqual(['b', 'c', 'd']);
    state = toggleRows(state.picked, ids, 'c', false, state.anchor);
    expect([...state.picked].sort()).toEqual(['b', 'd']);
    state = toggleRows(state.picked, ids, 'a', true, state.anchor);
    expect([...state.picked].sort()).toEqual(['d']);
  });

  it('reports a bulk action plainly, with the first reasons', () => {
    const name = (id: string) => `Contact ${id}`;
    expect(bulkOutcome([{ id: '1', ok: true }, { id: '2', ok: true }], name)).toEqual({ ok: true, text: '2 conversations changed.' });
    const failed = bulkOutcome(
      [
        { id: '1', ok: true },
        { id: '2', ok: false, error: { code: 'UNPROCESSABLE_ENTITY', message: 'This conversation has ended.' } },
        { id: '3', ok: false, error: { code: 'NOT_FOUND', message: 'Conversation not found' } },
      ],
      name,
    );
    expect(failed).toEqual({ ok: false, text: '2 of 3 could not be changed: Contact 2: This conversation has ended; Contact 3: Conversation not found.' });
    const many = bulkOutcome(
      Array.from({ length: 5 }, (_, i) => ({ id: String(i), ok: false, error: { code: 'X', message: 'no' } })),
      name,
    );
    expect(many.text).toMatch(/^5 of 5 could not be changed: .*; and 2 more\.$/);
  });

  it('snoozes to 1 hour, tomorrow 9:00 and next Monday 9:00, and refuses a past or far time', () => {
    const now = new Date(2026, 11, 9, 15, 30); // a Wednesday afternoon
    const [hour, tomorrow, week] = snoozePresets(now);
    expect(hour.until.getTime() - now.getTime()).toBe(3_600_000);
    expect([tomorrow.until.getDate(), tomorrow.until.getHours(), tomorrow.until.getMinutes()]).toEqual([10, 9, 0]);
    expect([week.until.getDay(), week.until.getDate(), week.until.getHours()]).toEqual([1, 14, 9]);
    expect(snoozePresets(new Date(2026, 11, 7, 8))[2].until.getDate()).toBe(14);
    expect(snoozeProblem('', now)).toBe('Choose a date and time.');
    expect(snoozeProblem('2026-12-09T15:00', now)).toBe('Choose a time in the future.');
    expect(snoozeProblem('2028-01-01T09:00', now)).toBe('Choose a time within a year.');
    expect(snoozeProblem('2026-12-09T17:00', now)).toBeNull();
  });

  it('shows a tag with one "#", and saves a built-in view as its filters', () => {
    expect(tagLabel('billing')).toBe('#billing');
    expect(tagLabel('#hash')).toBe('#hash');
    expect(builtInFilters('open')).toEqual({ status: 'active', snoozed: false });
    expect(builtInFilters('mine')).toEqual({ status: 'active', snoozed: false, assignee_id: 'me' });
    expect(builtInFilters('ended')).toEqual({ status: 'ended' });
    expect(builtInFilters('all')).toEqual({});
  });
});
