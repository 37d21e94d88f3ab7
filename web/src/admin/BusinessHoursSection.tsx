import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import type { Workspace } from '../api/types';
import { FieldError, FormError, useFormErrors } from '../ui/States';
import { teamStatusText } from '../app/TeamStatus';

type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
type Range = [string, string];
type Days = Record<Day, Range[]>;
type ReplyTime = Workspace['reply_time'];

const DAYS: Array<[Day, string]> = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
];
const MAX_RANGES = 4;
const REPLY_TIMES: Array<[ReplyTime, string]> = [
  ['minutes', 'Within minutes'],
  ['hours', 'Within a few hours'],
  ['day', 'Within a day'],
];
const REPLY_PHRASES: Record<ReplyTime, string> = { minutes: 'in a few minutes', hours: 'in a few hours', day: 'within a day' };

const WEEKDAYS_NINE_TO_FIVE: Days = {
  mon: [['09:00', '17:00']],
  tue: [['09:00', '17:00']],
  wed: [['09:00', '17:00']],
  thu: [['09:00', '17:00']],
  fri: [['09:00', '17:00']],
  sat: [],
  sun: [],
};

interface Draft {
  enabled: boolean;
  timezone: string;
  days: Days;
  reply_time: ReplyTime;
}

/** The form's starting point: the stored hours, or Monday to Friday 9 to 5 in the workspace's zone. */
function draftOf(workspace: Workspace): Draft {
  const hours = workspace.business_hours;
  return {
    enabled: hours?.enabled ?? false,
    timezone: hours?.timezone ?? workspace.timezone,
    days: hours ? (Object.fromEntries(DAYS.map(([d]) => [d, hours.days[d].map(([a, b]) => [a, b] as Range)])) as Days) : WEEKDAYS_NINE_TO_FIVE,
    reply_time: workspace.reply_time,
  };
}

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The same rules the server applies, so a mistake is shown beside its range before saving. */
function problemsOf(days: Days): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [day] of DAYS) {
    const ranges = days[day].map(([from, to], i) => ({ from: minutes(from), to: minutes(to), i }));
    for (const r of ranges) if (r.from >= r.to) problems[`${day}.${r.i}`] = 'Closes before it opens';
    const sorted = ranges.filter((r) => r.from < r.to).sort((a, b) => a.from - b.from);
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k].from < sorted[k - 1].to) problems[`${day}.${sorted[k].i}`] = `Overlaps ${hhmm(sorted[k - 1].from)}–${hhmm(sorted[k - 1].to)}`;
    }
  }
  return problems;
}

/** The server's field errors (`business_hours.days.mon.1`) as the form's (`mon.1`). */
function serverProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(error.details)) {
    const m = /^business_hours\.days\.(\w+)\.(\d+)/.exec(field);
    if (m && Array.isArray(messages)) out[`${m[1]}.${m[2]}`] = String(messages[0]);
  }
  return out;
}

/** A time input shows 00:00 for the end of the day; the API says 24:00. */
const shownEnd = (t: string) => (t === '24:00' ? '00:00' : t);
const storedEnd = (t: string) => (t === '00:00' ? '24:00' : t);

let zones: string[] | null = null;
const timeZones = () => (zones ??= typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);

/** Business hours and the promised reply time: what the chat widget tells visitors, and the inbox shows. */
export function BusinessHoursSection({ workspace }: { workspace: Workspace }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(workspace));
  // Start again from what is stored whenever it changes (a save here or elsewhere), not on every
  // re-read: the shell reads the settings each minute for the online badge.
  const stored = workspace.updated_at;
  useEffect(() => setDraft(draftOf(workspace)), [stored]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/settings/workspace', {
          body: {
            business_hours: { enabled: draft.enabled, timezone: draft.timezone.trim(), days: draft.days },
            reply_time: draft.reply_time,
          },
        }),
      ),
    onSuccess: (body) => client.setQueryData(['workspace'], body.data),
  });
  const errors = useFormErrors(save.error);
  // A change clears the error of what changed (a day's, the zone's) and the form's, and a "saved".
  const edit = (field: string) => {
    if (save.isSuccess) save.reset();
    errors.edited(field);
  };
  const local = useMemo(() => problemsOf(draft.days), [draft.days]);
  const server = Object.fromEntries(Object.entries(serverProblems(save.error)).filter(([key]) => errors.field(`business_hours.days.${key}`)));
  const problems = { ...server, ...local };
  const invalid = draft.enabled && Object.keys(local).length > 0;

  const setDay = (day: Day, ranges: Range[]) => {
    edit(`business_hours.days.${day}`);
    setDraft((d) => ({ ...d, days: { ...d.days, [day]: ranges } }));
  };
  const addRange = (day: Day) => {
    const ranges = draft.days[day];
    const last = ranges.at(-1);
    const from = last ? Math.min(minutes(last[1]) + 60, 23 * 60) : 9 * 60;
    const to = last ? Math.min(from + 4 * 60, 24 * 60) : 17 * 60;
    setDay(day, [...ranges, [hhmm(from), hhmm(to)]]);
  };
  const copyMondayToWeekdays = () => {
    edit('business_hours.days');
    setDraft((d) => ({ ...d, days: { ...d.days, tue: d.days.mon, wed: d.days.mon, thu: d.days.mon, fri: d.days.mon } }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!invalid) save.mutate();
  };

  return (
    <form className="card form hours-form" onSubmit={submit} aria-labelledby="hours-title">
      <div className="row-between">
        <h2 id="hours-title">Business hours</h2>
        <span className={`team-pill ${workspace.online ? 'team-online' : 'team-away'}`}>
          <span className="team-status-dot" aria-hidden="true" />
          {teamStatusText(workspace)}
        </span>
      </div>
      <p className="muted hours-intro">
        Outside these hours the chat widget tells visitors when the team is back and offers to reply by email. Operators see
        the same status in the top bar.
      </p>

      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={draft.enabled}
          onChange={(e) => {
            edit('business_hours.enabled');
            setDraft({ ...draft, enabled: e.target.checked });
          }}
        />
        <span className="switch-track" aria-hidden="true" />
        <span>
          Set business hours
          <span className="hint switch-hint">{draft.enabled ? 'The team is online only within the hours below.' : 'Off: visitors always see the team as online.'}</span>
        </span>
      </label>

      <fieldset className="hours" disabled={!draft.enabled} aria-label="Opening hours">
        <label className="hours-zone">
          Time zone
          <input
            value={draft.timezone}
            list="time-zones"
            required
            maxLength={64}
            onChange={(e) => {
              edit('business_hours.timezone');
              setDraft({ ...draft, timezone: e.target.value });
            }}
          />
          <FieldError message={errors.field('business_hours.timezone')} />
          <datalist id="time-zones">
            {timeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
        <ul className="hours-days">
          {DAYS.map(([day, name]) => {
            const ranges = draft.days[day];
            return (
              <li key={day} className="hours-day">
                <span className="hours-day-name">{name}</span>
                <div className="hours-ranges">
                  {ranges.length === 0 && <span className="muted hours-closed">Closed</span>}
                  {ranges.map(([from, to], i) => {
                    const problem = problems[`${day}.${i}`];
                    const label = ranges.length > 1 ? `${name}, hours ${i + 1}` : name;
                    return (
                      <div key={i} className={`hours-range${problem ? ' hours-range-invalid' : ''}`}>
                        <input
                          type="time"
                          aria-label={`${label}: opens`}
                          value={from}
                          required
                          onChange={(e) => setDay(day, ranges.map((r, k) => (k === i ? [e.target.value, r[1]] : r)))}
                        />
                        <span aria-hidden="true">–</span>
                        <input
                          type="time"
                          aria-label={`${label}: closes`}
                          value={shownEnd(to)}
                          required
                          onChange={(e) => setDay(day, ranges.map((r, k) => (k === i ? [r[0], storedEnd(e.target.value)] : r)))}
                        />
                        <button
                          type="button"
                          className="btn btn-ghost hours-remove"
                          aria-label={`Remove ${name} ${from}–${to}`}
                          title="Remove these hours"
                          onClick={() => setDay(day, ranges.filter((_, k) => k !== i))}
                        >
                          ×
                        </button>
                        {problem && (
                          <span className="form-error hours-problem" role="alert">
                            {problem}
                          </span>
                        )}
                      </div>
                    );
                  })}
                </div>
                <div className="hours-day-actions">
                  {ranges.length < MAX_RANGES && (
                    <button type="button" className="btn btn-ghost" onClick={() => addRange(day)} aria-label={`Add hours on ${name}`}>
                      + Add hours
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
        <div className="hours-footer">
          <p className="hint">Times are in the zone above. A range that ends at 00:00 runs to midnight.</p>
          <button type="button" className="btn" onClick={copyMondayToWeekdays}>
            Copy Monday to Tue–Fri
          </button>
        </div>
      </fieldset>

      <label className="hours-reply">
        Typical reply time
        <span className="hint">Within business hours the chat widget tells visitors “we typically reply {REPLY_PHRASES[draft.reply_time]}”.</span>
        <select
          value={draft.reply_time}
          onChange={(e) => {
            edit('reply_time');
            setDraft({ ...draft, reply_time: e.target.value as ReplyTime });
          }}
        >
          {REPLY_TIMES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>

      <FormError error={errors.formError} />
      {save.isSuccess && (
        <p className="notice" role="status">
          Business hours saved.
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={save.isPending || invalid}>
        Save business hours
      </button>
    </form>
  );
}
