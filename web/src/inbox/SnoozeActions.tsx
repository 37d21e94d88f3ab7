import { useEffect, useRef } from 'react';
import type { Conversation } from '../api/types';
import { FormError } from '../ui/States';
import { useSnoozeActions } from './list-queries';
import { untilLabel, untilShort } from './snooze';
import { SnoozeMenu } from './SnoozeMenu';

/**
 * The header's snooze and reopen: "Snooze" (or "Wake up" with the time it comes back) while the
 * conversation is active, "Reopen" once it has ended.
 */
export function SnoozeActions({ conversation: c }: { conversation: Conversation }) {
  const actions = useSnoozeActions(c.id);
  const busy = actions.snooze.isPending || actions.unsnooze.isPending || actions.reopen.isPending;
  const error = actions.snooze.error ?? actions.unsnooze.error ?? actions.reopen.error;
  const shown = `${c.id}:${c.status === 'ended' ? 'reopen' : c.snoozed_until ? 'wake' : 'snooze'}`;
  const box = useRef<HTMLSpanElement>(null);
  const last = useRef(shown);
  const refocus = useRef(false);
  useEffect(() => {
    const before = last.current;
    last.current = shown;
    // The button just used gave way to its opposite (Snooze to Wake up, End to Reopen): the
    // keyboard's focus moves onto that one, once it is enabled, instead of falling to the page.
    if (before !== shown) refocus.current = before.split(':')[0] === c.id;
    if (!refocus.current || busy) return;
    refocus.current = false;
    const active = document.activeElement;
    if (active === null || active === document.body) box.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [shown, busy, c.id]);
  return (
    <>
      <span ref={box} style={{ display: 'contents' }}>
        {c.status === 'ended' ? (
          <button type="button" className="btn" disabled={busy} title="Make it active again for the team" onClick={() => actions.reopen.mutate()}>
            Reopen
          </button>
        ) : c.snoozed_until ? (
          <button type="button" className="btn" disabled={busy} data-shortcut="s" title={`Snoozed until ${untilLabel(c.snoozed_until)}; wake it now`} onClick={() => actions.unsnooze.mutate()}>
            Wake up <span className="muted">(until {untilShort(c.snoozed_until)})</span>
          </button>
        ) : (
          <SnoozeMenu disabled={busy} shortcut="s" onSnooze={(until) => actions.snooze.mutate(until)} />
        )}
      </span>
      {error !== null && <FormError error={error} />}
    </>
  );
}
