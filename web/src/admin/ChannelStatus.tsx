import type { Channel } from '../api/types';
import { fullTime, shortTime } from '../ui/format';
import './channels.css';

/**
 * Whether a channel last worked, for admins: connected, failing (with the last error and when), or
 * not used yet. `detailed` adds when it was last used and the last error even after a recovery.
 */
export function ChannelStatus({ status, detailed = false }: { status: Channel['status']; detailed?: boolean }) {
  const { state, last_error, last_error_at, checked_at } = status;
  const badge =
    state === 'connected' ? (
      <span className="badge badge-active channel-state" data-state="connected" title={checked_at ? `Last worked ${fullTime(checked_at)}` : undefined}>
        ● Connected
      </span>
    ) : state === 'failing' ? (
      <span className="badge badge-failing channel-state" data-state="failing">
        ● Failing
      </span>
    ) : (
      <span className="badge channel-state" data-state="unused">
        Not used yet
      </span>
    );
  const showError = last_error && (state === 'failing' || detailed);
  return (
    <span className="channel-status">
      {badge}
      {detailed && checked_at && (
        <span className="hint">
          {' '}
          last used <time dateTime={checked_at} title={fullTime(checked_at)}>{shortTime(checked_at)}</time>
        </span>
      )}
      {showError && (
        <span className={state === 'failing' ? 'channel-error' : 'channel-error channel-error-past'} role={state === 'failing' ? 'status' : undefined}>
          {state === 'failing' ? 'Last error' : 'Earlier error'}
          {last_error_at && (
            <>
              {' '}
              (<time dateTime={last_error_at} title={fullTime(last_error_at)}>{shortTime(last_error_at)}</time>)
            </>
          )}
          : {last_error}
        </span>
      )}
    </span>
  );
}
