import { useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Availability, Member } from '../api/types';
import { useLogout } from '../auth/session';
import { AvailabilityDot } from '../presence/AvailabilityDot';
import { AVAILABILITY_LABEL } from '../presence/labels';
import type { AvailabilityReport } from '../presence/availability';
import { useDismiss } from '../ui/dismiss';

const CHOICES: Array<[Availability, string]> = [
  ['online', 'Your teams can assign you conversations'],
  ['away', 'No new conversations for now'],
  ['offline', 'Signed off; no new conversations'],
];

/** What the button says under the name: the availability, and whether the inbox or the member chose it. */
function statusLine(report: AvailabilityReport): string {
  if (report.value === 'away' && !report.chosen) return 'Away (inactive)';
  return AVAILABILITY_LABEL[report.value];
}

/**
 * The member's menu in the top bar: who is signed in, their availability (which they can set
 * themselves), the password page and signing out.
 */
export function UserMenu({ me, availability }: { me: Member; availability: AvailabilityReport }) {
  const [open, setOpen] = useState(false);
  const logout = useLogout();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useDismiss(open, () => setOpen(false), root, button);

  return (
    <div className="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="user-button"
        aria-expanded={open}
        aria-controls="user-panel"
        onClick={() => setOpen((o) => !o)}
      >
        <span className="user-avatar" aria-hidden="true">
          {me.name.charAt(0).toUpperCase()}
          <AvailabilityDot availability={availability.value} />
        </span>
        <span className="user-text">
          <span className="user-name">{me.name}</span>
          <span className="user-status">{statusLine(availability)}</span>
        </span>
        <span className="caret" aria-hidden="true" />
      </button>
      {open && (
        <div id="user-panel" className="user-panel" role="group" aria-label="Your account">
          <div className="user-panel-head">
            <strong>{me.name}</strong>
            <span className="muted">
              {me.email} · {me.role}
            </span>
          </div>
          <fieldset className="availability-choice">
            <legend>Your availability</legend>
            {CHOICES.map(([value, hint]) => (
              <label key={value} className={`availability-option${availability.value === value ? ' on' : ''}`}>
                <input type="radio" name="availability" value={value} checked={availability.value === value} onChange={() => availability.choose(value)} />
                <AvailabilityDot availability={value} />
                <span>
                  {AVAILABILITY_LABEL[value]}
                  <span className="hint">{hint}</span>
                </span>
              </label>
            ))}
            <p className="hint availability-note">
              {availability.chosen
                ? `You stay ${availability.value} until you choose Online.`
                : 'You show as away after 15 minutes without activity, and online again when you are back.'}
            </p>
            {availability.failed && (
              <p className="form-error" role="alert">
                Parley could not be told; it tries again shortly.
              </p>
            )}
          </fieldset>
          <div className="user-panel-actions">
            <Link to="/account/password" onClick={() => setOpen(false)}>
              Change password
            </Link>
            <button type="button" className="btn" onClick={() => logout.mutate()} disabled={logout.isPending}>
              {logout.isPending ? 'Signing out…' : 'Log out'}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
