import type { Channel } from '../../api/types';
import { CopyButton } from '../../ui/CopyButton';
import { inboundUrl } from './email-draft';

const TOKEN_HEADER = 'X-Parley-Inbound-Token';

/** How to post a forwarded mail, with the token when it is known (only right after it is made). */
function curlOf(url: string, token: string): string {
  return `curl -X POST '${url}' \\\n  -H 'Content-Type: message/rfc822' \\\n  -H '${TOKEN_HEADER}: ${token}' \\\n  --data-binary @message.eml`;
}

/**
 * How mail reaches the channel: read from its mailbox by IMAP when set, and forwarded raw to its
 * inbound URL with the token (for providers that post incoming mail to a URL). Rotating the token
 * refuses mail posted with the old one.
 */
export function InboundCard({ channel, rotate }: { channel: Channel; rotate: { run(): void; pending: boolean } }) {
  const url = inboundUrl(window.location.origin, channel.id);
  const imap = channel.config.imap as { host?: string; mailbox?: string } | null | undefined;
  return (
    <section className="card wa-section em-inbound" aria-labelledby="em-inbound">
      <h2 id="em-inbound">Receiving mail</h2>
      <p className="hint">
        {imap?.host ? (
          <>
            Parley reads new mail in <strong>{imap.mailbox ?? 'INBOX'}</strong> on <strong>{imap.host}</strong> by IMAP (within 30 seconds), and also takes mail forwarded to the URL below.
          </>
        ) : (
          <>No IMAP mailbox is set: mail arrives only when it is forwarded to the URL below (or set IMAP in the settings).</>
        )}
      </p>
      <dl className="facts wa-facts em-facts">
        <dt>Inbound URL</dt>
        <dd>
          <code className="wa-mono" aria-label="Inbound URL">
            {url}
          </code>{' '}
          <CopyButton text={url} label="Copy URL" className="btn btn-small" />
        </dd>
        <dt>Method</dt>
        <dd>
          <code>POST</code> the raw message, with <code>Content-Type: message/rfc822</code>
        </dd>
        <dt>Header</dt>
        <dd>
          <code>{TOKEN_HEADER}: &lt;inbound token&gt;</code> <span className="hint">the token is shown once, when it is made</span>
        </dd>
      </dl>
      <div className="wa-rotate">
        <div>
          <strong>Inbound token</strong>
          <p className="hint">Lost it, or it leaked? Make a new one: mail posted with the current token is refused from then on.</p>
        </div>
        <button
          type="button"
          className="btn"
          disabled={rotate.pending}
          onClick={() => window.confirm('Make a new inbound token? Mail forwarded with the current token is refused from then on.') && rotate.run()}
        >
          {rotate.pending ? 'Rotating…' : 'Rotate token'}
        </button>
      </div>
    </section>
  );
}

/** The inbound token, once: right after creation or rotation, never again. */
export function InboundTokenNotice({ channelId, token, rotated, onDismiss }: { channelId: string; token: string; rotated: boolean; onDismiss(): void }) {
  const url = inboundUrl(window.location.origin, channelId);
  return (
    <div className="wa-secret em-token" role="alert">
      <svg viewBox="0 0 24 24" aria-hidden="true" className="wa-secret-icon">
        <path d="M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
      </svg>
      <div className="wa-secret-body">
        <p>
          <strong>{rotated ? 'New inbound token' : 'Inbound token'} — copy it now: it will not be shown again.</strong>
        </p>
        <p className="hint">
          Whoever forwards mail to Parley sends it in the <code>{TOKEN_HEADER}</code> header to <code className="break">{url}</code>.
          {rotated && ' Mail posted with the old token is refused from now on.'}
        </p>
        <div className="wa-secret-row">
          <code className="wa-secret-value" aria-label="Inbound token">
            {token}
          </code>
          <CopyButton text={token} label="Copy token" />
          <button type="button" className="btn btn-ghost" onClick={onDismiss}>
            I have saved it
          </button>
        </div>
        <details className="em-curl">
          <summary>Try it with curl</summary>
          <pre className="wa-code">
            <code>{curlOf(url, token)}</code>
          </pre>
        </details>
      </div>
    </div>
  );
}
