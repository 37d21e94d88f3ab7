import { useRef } from 'react';
import { Problem, type SectionProps } from './fields';
import { IDENTITY_MODES, MAX_ORIGINS, type IdentityMode } from './widget-draft';

/** Where the widget may run, and how the site vouches for its signed-in users. */
export function SecuritySection({ draft, problems, change, rotate }: SectionProps & { rotate: { run(): void; pending: boolean } | null }) {
  const list = useRef<HTMLUListElement>(null);
  const origins = draft.allowed_origins;
  const setOrigins = (next: string[]) => change((d) => ({ ...d, allowed_origins: next }), 'allowed_origins*');
  const add = () => {
    setOrigins([...origins, '']);
    // The new row's input takes the focus once it is drawn.
    requestAnimationFrame(() => list.current?.querySelector<HTMLInputElement>('li:last-child input')?.focus());
  };

  return (
    <section className="card wa-section" aria-labelledby="wa-security">
      <h2 id="wa-security">Security</h2>

      <fieldset className="wa-list" aria-describedby="wa-origins-hint">
        <legend>Allowed websites</legend>
        <p className="hint" id="wa-origins-hint">
          {origins.length === 0
            ? 'Any website can show this widget. Add your site’s origins to allow only those.'
            : 'Only pages on these origins can open the chat: scheme, host and port, no path — https://shop.example.'}
        </p>
        {origins.length > 0 && (
          <ul className="wa-rows" ref={list}>
            {origins.map((origin, i) => {
              const key = `allowed_origins.${i}`;
              const id = `wa-origin-${i}`;
              return (
                <li key={i} className="wa-origin">
                  <input
                    id={id}
                    aria-label={`Allowed origin ${i + 1}`}
                    aria-invalid={problems[key] ? true : undefined}
                    aria-describedby={problems[key] ? `${id}-error` : undefined}
                    value={origin}
                    inputMode="url"
                    spellCheck={false}
                    autoComplete="off"
                    placeholder="https://shop.example"
                    onChange={(e) => change((d) => ({ ...d, allowed_origins: d.allowed_origins.map((o, k) => (k === i ? e.target.value : o)) }), key, 'allowed_origins')}
                  />
                  <button type="button" className="btn btn-ghost wa-remove" aria-label={`Remove origin ${i + 1}${origin ? ` (${origin})` : ''}`} title="Remove" onClick={() => setOrigins(origins.filter((_, k) => k !== i))}>
                    ×
                  </button>
                  <Problem id={id} problem={problems[key]} />
                </li>
              );
            })}
          </ul>
        )}
        <Problem id="wa-origins" problem={problems.allowed_origins} />
        {origins.length < MAX_ORIGINS && (
          <button type="button" className="btn wa-add" onClick={add}>
            + Add origin
          </button>
        )}
      </fieldset>

      <div className="wa-field">
        <label htmlFor="wa-identity">Identity verification</label>
        <select
          id="wa-identity"
          value={draft.identity_verification}
          aria-invalid={problems.identity_verification ? true : undefined}
          aria-describedby={`wa-identity-hint${problems.identity_verification ? ' wa-identity-error' : ''}`}
          onChange={(e) => change((d) => ({ ...d, identity_verification: e.target.value as IdentityMode }), 'identity_verification')}
        >
          {IDENTITY_MODES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <Problem id="wa-identity" problem={problems.identity_verification} />
        <div className="hint wa-explain" id="wa-identity-hint">
          <p>
            Your server signs each signed-in user’s id: the <strong>hex HMAC-SHA256 of the user id</strong> under this channel’s
            identity secret. The page passes it as <code>hash</code>, and Parley then knows the visitor is that user, with their
            earlier conversations. A visitor without a valid hash stays anonymous — or, when verification is required, cannot chat.
          </p>
        </div>
        {draft.identity_verification !== 'off' && (
          <pre className="wa-code" aria-label="Example of signing a user id">
            <code>
              {`// On your server (Node.js): never send the secret to the browser.
const hash = crypto.createHmac('sha256', PARLEY_IDENTITY_SECRET)
  .update(user.id).digest('hex');

// In the page, after the snippet:
Parley('boot', { user: { id: user.id, email: user.email, name: user.name, hash } });`}
            </code>
          </pre>
        )}
      </div>

      {rotate && (
        <div className="wa-rotate">
          <div>
            <strong>Identity secret</strong>
            <p className="hint">Shown once, when the widget is created or the secret replaced. Replace it if it may have leaked.</p>
          </div>
          <button
            type="button"
            className="btn btn-danger"
            disabled={rotate.pending}
            onClick={() =>
              window.confirm(
                'Rotate the identity secret?\n\nHashes signed with the current secret stop working at once: signed-in visitors are refused until your server signs with the new one.',
              ) && rotate.run()
            }
          >
            {rotate.pending ? 'Rotating…' : 'Rotate identity secret'}
          </button>
        </div>
      )}
    </section>
  );
}
