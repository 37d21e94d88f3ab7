import type { Channel } from '../api/types';
import { fullTime, shortTime } from '../ui/format';
import './channels.css';

type Status = Channel['status'];

/**
 * Whether a channel last worked, for admins: connected, failing, or not used yet; `detailed` adds
 * when it was last used.
 */
export function ChannelStatus({ status, detailed = false }: { status: Status; detailed?: boolean }) {
  const { state, checked_at } = status;
  return (
    <span className="channel-status">
      {state === 'connected' ? (
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
      )}
      {detailed && checked_at && (
        <span className="hint">
          last used{' '}
          <time dateTime={checked_at} title={fullTime(checked_at)}>
            {shortTime(checked_at)}
          </time>
        </span>
      )}
    </span>
  );
}

/**
 * The channel's last error and when: while it fails, or (`past`) also after it works again, so an
 * admin can still read what went wrong.
 */
export function ChannelError({ status, past = false }: { status: Status; past?: boolean }) {
  const { state, last_error, last_error_at } = status;
  if (!last_error || (state !== 'failing' && !past)) return null;
  const failing = state === 'failing';
  return (
    <div className={failing ? 'channel-error' : 'channel-error channel-error-past'} role={failing ? 'status' : undefined}>
      {failing ? 'Last error' : 'Earlier error'}
      {last_error_at && (
        <>
          {' '}
          (
          <time dateTime={last_error_at} title={fullTime(last_error_at)}>
            {shortTime(last_error_at)}
          </time>
          )
        </>
      )}
      : {last_error}
    </div>
  );
}
