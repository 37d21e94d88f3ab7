/*
 * Who the assignee picker offers, in which order. Spelled out with its own small types and no
 * imports, so the tests can load this file on its own; the directory's entries and the API's
 * teams fit them.
 */

type Availability = 'online' | 'away' | 'offline';

/** A member of the directory. */
export interface PickerMember {
  id: string;
  name: string;
  availability: Availability;
}

/** Online first, then away, then offline: who can take a conversation now comes first. */
export const AVAILABILITY_ORDER: Record<Availability, number> = { online: 0, away: 1, offline: 2 };

export interface PickerOption {
  /** The member's id; '' is "Unassigned". */
  value: string;
  label: string;
  member: PickerMember | null;
}

export interface PickerGroup {
  label: string | null;
  options: PickerOption[];
}

/**
 * Who can be picked, grouped: "Unassigned", then the conversation's team (when it has one; `label`
 * is what the group is called), then everyone else. In each group you come first, then whoever is
 * online, away, offline.
 */
export function pickerGroups(
  directory: PickerMember[],
  meId: string | undefined,
  team: { label: string; member_ids: string[] } | undefined,
  currentId: string | null,
): PickerGroup[] {
  const rank = (m: PickerMember) => (m.id === meId ? -1 : AVAILABILITY_ORDER[m.availability]);
  const sorted = directory.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i).map(({ m }) => m);
  const option = (m: PickerMember): PickerOption => ({ value: m.id, label: m.id === meId ? `${m.name} (me)` : m.name, member: m });
  const groups: PickerGroup[] = [{ label: null, options: [{ value: '', label: 'Unassigned', member: null }] }];
  const inTeam = new Set(team?.member_ids ?? []);
  if (team && inTeam.size > 0) {
    groups.push({ label: team.label, options: sorted.filter((m) => inTeam.has(m.id)).map(option) });
    groups.push({ label: 'Everyone else', options: sorted.filter((m) => !inTeam.has(m.id)).map(option) });
  } else groups.push({ label: 'Members', options: sorted.map(option) });
  // Assigned to someone who has since left the account: still shown, so the picker says the truth.
  if (currentId && !directory.some((m) => m.id === currentId)) groups[0].options.push({ value: currentId, label: 'A former member', member: null });
  return groups.filter((g) => g.options.length > 0);
}
