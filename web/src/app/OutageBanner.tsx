import { useEffect, useState } from 'react';
import type { LiveState } from '../realtime/useEventStream';
import './outage.css';

/** A reconnect blip shorter than this shows nothing but the grey dot. */
const GRACE_MS = 3000;
const PROBE_EVERY_MS = 3000;
const PROBE_TIMEOUT_MS = 2500;

/** Whether the server answers its health check now. */
async function serverAnswers(): Promise<boolean> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT_MS);
  try {
    const res = await fetch('/healthz', { cache: 'no-store', signal: abort.signal });
    return res.ok;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A banner across the top while Parley cannot be reached: the live event stream has been down
 * for a few seconds and the health check fails too. It goes as soon as the health check answers
 * again (the stream then reconnects by itself); a stream down behind a healthy server (a proxy
 * cutting long requests) is left to the grey dot.
 */
export function OutageBanner({ live }: { live: LiveState }) {
  const [down, setDown] = useState(false);
  const streamDown = live !== 'open';

  useEffect(() => {
    if (!streamDown) {
      setDown(false);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const probe = async () => {
      const ok = await serverAnswers();
      if (stopped) return;
      setDown(!ok);
      timer = setTimeout(() => void probe(), PROBE_EVERY_MS);
    };
    timer = setTimeout(() => void probe(), GRACE_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [streamDown]);

  if (!down) return null;
  return (
    <div className="outage-banner" role="alert">
      <span className="spinner" aria-hidden="true" /> Parley cannot be reached. Retrying…
    </div>
  );
}
