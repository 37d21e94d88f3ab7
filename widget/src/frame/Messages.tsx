import type { JSX } from 'preact';
import type { Translate } from '../i18n/index.ts';
import type { Message } from './api.ts';
import type { Controller } from './controller.ts';
import { firstName, initials, timeOf } from './format.ts';
import { BotIcon, LinkIcon, PersonIcon, ThumbDownIcon, ThumbUpIcon } from './icons.tsx';
import { Markdown } from './Markdown.tsx';
import { safeHref } from './markdown.ts';
import { Files } from './Files.tsx';

/** Consecutive messages of one author, shown under one avatar and name. */
export interface Group {
  key: string;
  role: Message['role'];
  name: string;
  messages: Message[];
}

export function groupMessages(messages: Message[]): Group[] {
  const groups: Group[] = [];
  for (const m of messages) {
    const name = m.role === 'operator' ? firstName(m.author?.name) : (m.author?.name ?? '');
    const last = groups[groups.length - 1];
    if (last && last.role === m.role && last.name === name) last.messages.push(m);
    else groups.push({ key: String(m.id), role: m.role, name, messages: [m] });
  }
  return groups;
}

export function Avatar({ role, name }: { role: Message['role']; name: string }): JSX.Element {
  if (role === 'operator') {
    // A reply sent through the API by an integration has no person's name: the team's icon.
    return (
      <span class="avatar avatar-person" aria-hidden="true">
        {initials(name) || <PersonIcon />}
      </span>
    );
  }
  return (
    <span class="avatar avatar-agent" aria-hidden="true">
      <BotIcon />
    </span>
  );
}

interface GroupProps {
  group: Group;
  locale: string;
  t: Translate;
  controller: Controller;
  /** The visitor's last message, under which "Seen" may show. */
  lastMineId: number | null;
  teamRead: number;
  /** Who an operator's reply is from when no person signed it (the business's chat title). */
  team: string;
}

export function MessageGroup({ group, locale, t, controller, lastMineId, teamRead, team }: GroupProps): JSX.Element {
  const mine = group.role === 'user';
  const last = group.messages[group.messages.length - 1];
  const seen = mine && lastMineId !== null && group.messages.some((m) => m.id === lastMineId) && teamRead >= lastMineId;
  const who = group.role === 'operator' ? group.name || team : group.name || t('agent');
  return (
    <div class={`row ${mine ? 'me' : 'them'}`}>
      {!mine && <Avatar role={group.role} name={group.name} />}
      <div class="stack">
        {!mine && <div class="who">{who}</div>}
        {group.messages.map((m) => (
          <Bubble key={m.id} message={m} t={t} controller={controller} />
        ))}
        <div class="meta">
          {last.status === 'pending' || last.status === 'streaming' ? '' : timeOf(last.created_at, locale)}
          {seen && (
            <>
              {' · '}
              <span class="seen">{t('seen')}</span>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

function Bubble({ message: m, t, controller }: { message: Message; t: Translate; controller: Controller }): JSX.Element {
  if (m.role === 'user') {
    return (
      <div class={`bubble bubble-me${m.status === 'failed' ? ' failed' : ''}`} data-role="user">
        {m.content !== '' && <p class="plain">{m.content}</p>}
        {m.attachments?.length ? <Files files={m.attachments} controller={controller} /> : null}
      </div>
    );
  }
  const streaming = m.status === 'streaming' || m.status === 'pending';
  const sources = m.sources.filter((s) => s.title || s.url);
  return (
    <div class={`bubble bubble-them${streaming ? ' streaming' : ''}${m.status === 'failed' ? ' failed' : ''}`} data-role={m.role} aria-busy={streaming}>
      {m.content === '' && streaming ? (
        <span class="dots" aria-hidden="true">
          <i />
          <i />
          <i />
        </span>
      ) : (
        <Markdown text={m.content} />
      )}
      {m.attachments?.length ? <Files files={m.attachments} controller={controller} /> : null}
      {sources.length > 0 && !streaming && (
        <div class="sources">
          <span class="sources-label">{t('sources')}</span>
          <ul>
            {sources.map((s, i) => {
              const href = s.url ? safeHref(s.url) : null;
              const label = s.title || s.url || '';
              return (
                <li key={i}>
                  {href ? (
                    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                      <LinkIcon />
                      <span>{label}</span>
                    </a>
                  ) : (
                    <span class="source-text">{label}</span>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {m.role === 'assistant' && m.status === 'completed' && (
        <div class="feedback">
          <button type="button" class="fb" aria-label={t('helpful')} title={t('helpful')} aria-pressed={m.feedback?.rating === 'like'} onClick={() => void controller.feedback(m, 'like')}>
            <ThumbUpIcon />
          </button>
          <button type="button" class="fb" aria-label={t('notHelpful')} title={t('notHelpful')} aria-pressed={m.feedback?.rating === 'dislike'} onClick={() => void controller.feedback(m, 'dislike')}>
            <ThumbDownIcon />
          </button>
        </div>
      )}
    </div>
  );
}
