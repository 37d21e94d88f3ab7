import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.ts';
import type { PreChatField, WidgetInfo } from './api.ts';
import { EMAIL, type Controller } from './controller.ts';
import { whenBack } from './format.ts';
import { CheckIcon, ClockIcon, PersonIcon, StarIcon } from './icons.tsx';

/** The pre-chat form: the channel's fields, checked here before the server checks them again. */
export function PreChatForm({ fields, serverErrors, t, controller }: { fields: PreChatField[]; serverErrors: Record<string, string>; t: Translate; controller: Controller }): JSX.Element {
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const shown = { ...serverErrors, ...errors };

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const f of fields) {
      const value = (values[f.name] ?? '').trim();
      if (f.required && !value) found[f.name] = t('required');
      else if (value && f.type === 'email' && !EMAIL.test(value)) found[f.name] = t('invalidEmail');
    }
    setErrors(found);
    const first = fields.find((f) => found[f.name]);
    if (first) {
      document.getElementById(`pc-${first.name}`)?.focus();
      return;
    }
    setBusy(true);
    const answers = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
    await controller.submitPreChat(answers);
    setBusy(false);
  }

  return (
    <form class="card prechat" onSubmit={(e) => void submit(e)} noValidate aria-label={t('startChat')}>
      <p class="card-intro">{t('preChatIntro')}</p>
      {fields.map((f) => {
        const id = `pc-${f.name}`;
        const error = shown[f.name];
        const common = {
          id,
          name: f.name,
          required: f.required,
          'aria-invalid': error ? true : undefined,
          'aria-describedby': error ? `${id}-error` : undefined,
          value: values[f.name] ?? '',
          onInput: (e: Event) => setValues({ ...values, [f.name]: (e.currentTarget as HTMLInputElement).value }),
        };
        return (
          <div class="field" key={f.name}>
            <label for={id}>
              {f.label}
              {f.required && (
                <span class="req" aria-hidden="true">
                  {' *'}
                </span>
              )}
            </label>
            {f.type === 'select' ? (
              <select {...common}>
                <option value="">{t('choose')}</option>
                {(f.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input {...common} type={f.type === 'email' ? 'email' : 'text'} autocomplete={f.type === 'email' ? 'email' : f.name === 'name' ? 'name' : 'off'} />
            )}
            {error && (
              <p class="field-error" id={`${id}-error`}>
                {error}
              </p>
            )}
          </div>
        );
      })}
      {shown._ && <p class="field-error">{shown._}</p>}
      <button type="submit" class="primary wide" disabled={busy}>
        {t('startChat')}
      </button>
    </form>
  );
}

/** What happens now that a person was asked for: when they answer, or where to be reached. */
export function HandoffNotice({ widget, leftEmail, locale, t, controller }: { widget: WidgetInfo; leftEmail: string | null; locale: string; t: Translate; controller: Controller }): JSX.Element {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const expect = widget.online
    ? t(widget.reply_time === 'minutes' ? 'replyMinutes' : widget.reply_time === 'hours' ? 'replyHours' : 'replyDay')
    : widget.next_online_at
      ? t('offline', { when: whenBack(widget.next_online_at, locale, t) })
      : t('offlineUnknown');

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    if (!EMAIL.test(email.trim())) {
      setError(t('invalidEmail'));
      return;
    }
    setError(null);
    await controller.leaveEmail(email.trim());
  }

  return (
    <div class="notice" role="status">
      <span class="notice-icon" aria-hidden="true">
        {widget.online ? <PersonIcon /> : <ClockIcon />}
      </span>
      <div class="notice-body">
        <p>
          <strong>{t('handoff')}</strong>
        </p>
        <p>{expect}</p>
        {!widget.online &&
          (leftEmail ? (
            <p class="saved">
              <CheckIcon /> {t('emailSaved', { email: leftEmail })}
            </p>
          ) : (
            <form class="inline-form" onSubmit={(e) => void submit(e)} noValidate>
              <label class="sr" for="handoff-email">
                {t('email')}
              </label>
              <input
                id="handoff-email"
                type="email"
                autocomplete="email"
                placeholder={t('emailPlaceholder')}
                value={email}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'handoff-email-error' : undefined}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
              <button type="submit" class="primary">
                {t('notifyMe')}
              </button>
              {error && (
                <p class="field-error" id="handoff-email-error">
                  {error}
                </p>
              )}
            </form>
          ))}
      </div>
    </div>
  );
}


/** The one-time satisfaction survey once a conversation has ended. */
export function CsatCard({ done, rated, t, controller }: { done: boolean; rated: number | null; t: Translate; controller: Controller }): JSX.Element {
  const [rating, setRating] = useState<number | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  if (done) {
    return (
      <div class="card csat done" role="status">
        {rated ? (
          <div class="stars" aria-label={t('csatRating', { n: rated })} role="img">
            {[1, 2, 3, 4, 5].map((n) => (
              <span key={n} class={`star${n <= rated ? ' on' : ''}`}>
                <StarIcon />
              </span>
            ))}
          </div>
        ) : null}
        <p class="csat-thanks">{t('csatThanks')}</p>
      </div>
    );
  }
  return (
    <form
      class="card csat"
      onSubmit={(e) => {
        e.preventDefault();
        if (rating === null) return;
        setBusy(true);
        void controller.rate(rating, comment).finally(() => setBusy(false));
      }}
    >
      <p class="card-intro" id="csat-q">
        {t('csatQuestion')}
      </p>
      <div class="stars" role="radiogroup" aria-labelledby="csat-q" onMouseLeave={() => setHover(null)}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            type="button"
            key={n}
            role="radio"
            class={`star${n <= (hover ?? rating ?? 0) ? ' on' : ''}`}
            aria-checked={rating === n}
            aria-label={t('csatRating', { n })}
            title={t('csatRating', { n })}
            onMouseEnter={() => setHover(n)}
            onClick={() => setRating(n)}
          >
            <StarIcon />
          </button>
        ))}
      </div>
      {rating !== null && (
        <>
          <label class="sr" for="csat-comment">
            {t('csatComment')}
          </label>
          <textarea id="csat-comment" rows={2} placeholder={t('csatComment')} maxLength={2000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          <button type="submit" class="primary wide" disabled={busy}>
            {t('csatSubmit')}
          </button>
        </>
      )}
    </form>
  );
}
