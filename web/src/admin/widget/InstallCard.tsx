import { CopyButton } from '../../ui/CopyButton';
import type { Channel } from '../../api/types';

/** The snippet to paste into the site, and the public key it carries. */
export function InstallCard({ channel }: { channel: Channel | null }) {
  return (
    <section className="card wa-section wa-install" aria-labelledby="wa-install">
      <h2 id="wa-install">Install on your site</h2>
      {channel?.embed_snippet ? (
        <>
          <p className="hint">Paste this before the closing &lt;/body&gt; tag of every page that should show the chat.</p>
          <div className="wa-snippet">
            <pre className="wa-code" aria-label="Embed snippet">
              {/* Shown a tag a line; copied exactly as the API gives it. */}
              <code>{channel.embed_snippet.replace(/<\/script><script/g, '</script>\n<script')}</code>
            </pre>
            <CopyButton text={channel.embed_snippet} label="Copy snippet" className="btn btn-primary" />
          </div>
          <dl className="facts wa-facts">
            <dt>Public key</dt>
            <dd>
              <code className="wa-mono">{channel.public_key}</code> <span className="hint">safe to publish: it only opens this widget</span>
            </dd>
          </dl>
        </>
      ) : (
        <p className="hint">Create the widget to get the snippet to paste into your site.</p>
      )}
    </section>
  );
}

/** The identity secret, once: right after creation or rotation, never again. */
export function SecretNotice({ secret, rotated, onDismiss }: { secret: string; rotated: boolean; onDismiss(): void }) {
  return (
    <div className="wa-secret" role="alert">
      <svg viewBox="0 0 24 24" aria-hidden="true" className="wa-secret-icon">
        <path d="M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
      </svg>
      <div className="wa-secret-body">
        <p>
          <strong>{rotated ? 'New identity secret' : 'Identity secret'} — copy it now: it will not be shown again.</strong>
        </p>
        <p className="hint">
          Keep it on your server, where it signs your users’ ids for identity verification. Never put it in a page.
          {rotated && ' Hashes signed with the old secret no longer work.'}
        </p>
        <div className="wa-secret-row">
          <code className="wa-secret-value" aria-label="Identity secret">
            {secret}
          </code>
          <CopyButton text={secret} label="Copy secret" />
          <button type="button" className="btn btn-ghost" onClick={onDismiss}>
            I have saved it
          </button>
        </div>
      </div>
    </div>
  );
}
