import type { Conversation } from '../api/types';
import { fullTime, languageName, shortTime, webUrl } from '../ui/format';
import { Stars } from '../ui/Stars';
import { useChannels } from './queries';

/** The page as a short label: host and path, without the scheme and the query. */
function pageLabel(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  return url.host + path;
}

/**
 * What the chat widget knew of the visitor (channel, page, language, browser, the site's
 * attributes) and the contact's rating. Shown for widget conversations, and for any rated one.
 */
export function VisitorSection({ conversation: c }: { conversation: Conversation }) {
  const channel = useChannels().data?.find((ch) => ch.id === c.channel_id);
  const v = c.visitor;
  const fromWidget = v !== null || channel?.type === 'web_widget';
  if (!fromWidget && !c.csat) return null;
  const page = webUrl(v?.page_url);
  const attributes = Object.entries(v?.attributes ?? {});

  return (
    <section className="details-section visitor" aria-labelledby="visitor-title">
      <h2 id="visitor-title">{fromWidget ? 'Website visitor' : 'Rating'}</h2>
      {fromWidget && (
        <dl className="facts">
          {channel && (
            <>
              <dt>Channel</dt>
              <dd>{channel.name}</dd>
            </>
          )}
          {v?.page_url && (
            <>
              <dt>Page</dt>
              <dd>
                {page ? (
                  <a href={page.href} target="_blank" rel="noopener noreferrer" title={page.href} className="visitor-page">
                    {pageLabel(page)}
                  </a>
                ) : (
                  <span className="break">{v.page_url}</span>
                )}
              </dd>
            </>
          )}
          {v?.locale && (
            <>
              <dt>Language</dt>
              <dd>
                {languageName(v.locale)} <span className="muted">({v.locale})</span>
              </dd>
            </>
          )}
          {v?.browser && (
            <>
              <dt>Browser</dt>
              <dd>{v.browser}</dd>
            </>
          )}
          {attributes.map(([k, value]) => (
            <div key={k} className="visitor-attribute">
              <dt>{k}</dt>
              <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {c.csat ? (
        <div className="csat-summary">
          {fromWidget && <span className="field-label">Rating</span>}
          <div>
            <Stars rating={c.csat.rating} /> <span className="muted">{c.csat.rating}/5</span>{' '}
            <time className="muted" dateTime={c.csat.at} title={fullTime(c.csat.at)}>
              · {shortTime(c.csat.at)}
            </time>
          </div>
          {c.csat.comment && <blockquote className="csat-quote">{c.csat.comment}</blockquote>}
        </div>
      ) : (
        c.status === 'ended' && fromWidget && <p className="muted">Not rated.</p>
      )}
    </section>
  );
}
