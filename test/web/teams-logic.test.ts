import { describe, expect, it } from 'vitest';
import { problemsOf } from '../../web/src/admin/team-form.ts';
import { ApiError } from '../../web/src/api/errors.ts';
import { pickerGroups, type PickerMember } from '../../web/src/inbox/assignee-options.ts';
import { isQueued, teamLabel } from '../../web/src/inbox/teams.ts';

const ME = '0190a000-0000-7000-8000-000000000001';
const member = (n: number, name: string, availability: 'online' | 'away' | 'offline'): PickerMember => ({ id: `0190a000-0000-7000-8000-00000000000${n}`, name, availability });
const maya = member(1, 'Maya Chen', 'online');
const tom = member(2, 'Tom Becker', 'offline');
const priya = member(3, 'Priya Raman', 'away');
const ada = member(4, 'Ada Admin', 'online');
const support = { label: 'Support team', member_ids: [tom.id, maya.id] };

describe('the assignee picker’s list', () => {
  const names = (groups: ReturnType<typeof pickerGroups>) => groups.map((g) => [g.label, g.options.map((o) => o.label)]);

  it('puts you first, then whoever is online, away, offline', () => {
    expect(names(pickerGroups([tom, priya, ada, maya], ME, undefined, null))).toEqual([
      [null, ['Unassigned']],
      ['Members', ['Maya Chen (me)', 'Ada Admin', 'Priya Raman', 'Tom Becker']],
    ]);
  });

  it('lists the conversation’s team before everyone else', () => {
    expect(names(pickerGroups([tom, priya, ada, maya], ME, support, maya.id))).toEqual([
      [null, ['Unassigned']],
      ['Support team', ['Maya Chen (me)', 'Tom Becker']],
      ['Everyone else', ['Ada Admin', 'Priya Raman']],
    ]);
  });

  it('still shows an assignee who has left the account', () => {
    expect(pickerGroups([maya], ME, undefined, 'gone')[0].options.map((o) => o.label)).toEqual(['Unassigned', 'A former member']);
  });
});

describe('team words', () => {
  it('calls a team "… team" once', () => {
    expect(teamLabel('Support')).toBe('Support team');
    expect(teamLabel('Billing team')).toBe('Billing team');
    expect(teamLabel('A-Team')).toBe('A-Team');
  });

  it('counts a conversation as queued when it has a team, no assignee, and a person should answer', () => {
    const c = { team_id: 't1', assignee_id: null, mode: 'manual', status: 'active' };
    expect(isQueued(c)).toBe(true);
    expect(isQueued({ ...c, assignee_id: maya.id })).toBe(false);
    expect(isQueued({ ...c, mode: 'ai' })).toBe(false);
    expect(isQueued({ ...c, status: 'ended' })).toBe(false);
    expect(isQueued({ ...c, team_id: null })).toBe(false);
  });
});

describe('the team form’s errors', () => {
  it('puts a taken name at the name', () => {
    expect(problemsOf(new ApiError(409, 'CONFLICT', 'A team named "Support" already exists', { name: ['is already taken in this workspace'] }))).toEqual({
      name: 'A team named "Support" already exists.',
    });
  });

  it('puts members that are gone at the members', () => {
    const err = new ApiError(422, 'UNPROCESSABLE_ENTITY', 'member_ids names members that are not in this workspace', { member_ids: ['a is not a member', 'b is not a member'] });
    expect(problemsOf(err)).toEqual({ member_ids: '2 of the picked members are no longer in this workspace; the list is read again, pick again.' });
  });

  it('puts a value out of range at its field, and leaves anything else to the form', () => {
    expect(problemsOf(new ApiError(400, 'BAD_REQUEST', 'Invalid', { max_open_per_member: ['must be at most 1000'] }))).toEqual({ max_open_per_member: 'Must be at most 1000.' });
    expect(problemsOf(new ApiError(500, 'INTERNAL_ERROR', 'Unexpected server error'))).toBeNull();
    expect(problemsOf(new Error('offline'))).toBeNull();
  });
});
