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
  return (
    <>
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
      {error !== null && <FormError error={error} />}
    </>
  );
}
