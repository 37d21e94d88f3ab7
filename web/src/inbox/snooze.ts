/** The snooze presets, computed in the member's own time zone from `now`. */
export interface SnoozePreset {
  label: string;
  until: Date;
}

export function snoozePresets(now = new Date()): SnoozePreset[] {
  const inAnHour = new Date(now.getTime() + 60 * 60_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  // Next week: Monday 9:00 after today (a week ahead when today is Monday).
  const nextWeek = new Date(now);
  nextWeek.setDate(now.getDate() + (((8 - now.getDay()) % 7) || 7));
  nextWeek.setHours(9, 0, 0, 0);
  return [
    { label: '1 hour', until: inAnHour },
    { label: 'Tomorrow 9:00', until: tomorrow },
    { label: 'Next week', until: nextWeek },
  ];
}

/** A `datetime-local` value ("2026-12-07T09:00") for a date, in local time. */
export function localInputValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Why a chosen time cannot be used, in plain words, or null when it can. */
export function snoozeProblem(value: string, now = new Date()): string | null {
  if (!value) return 'Choose a date and time.';
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return 'Choose a date and time.';
  if (at.getTime() <= now.getTime()) return 'Choose a time in the future.';
  if (at.getTime() > now.getTime() + 365 * 86_400_000) return 'Choose a time within a year.';
  return null;
}

/** "until Mon 09:00" in the member's words. */
export function untilLabel(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** Short, for tight places: "17:00" today, "Mon 09:00" within the week, "12 Mar" later. */
export function untilShort(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  if (d.getTime() - now.getTime() < 6 * 86_400_000) return `${d.toLocaleDateString([], { weekday: 'short' })} ${time}`;
  return d.toLocaleDateString([], { day: 'numeric', month: 'short' });
}
