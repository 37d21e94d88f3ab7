import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { paths } from '../api/schema';
import { ErrorState, Empty, FieldError, FormError, Loading, useFormErrors } from '../ui/States';
import { DeliveryLog } from './DeliveryLog';

type WebhookEvent = NonNullable<paths['/api/v1/webhooks']['post']['requestBody']>['content']['application/json']['events'] extends
  | Array<infer E>
  | undefined
  ? E
  : never;
const EVENTS: WebhookEvent[] = [
  'conversation.created',
  'conversation.updated',
  'conversation.ended',
  'conversation.mode_changed',
  'conversation.assigned',
  'conversation.handoff',
  'conversation.snoozed',
  'conversation.unsnoozed',
  'conversation.reopened',
  'message.created',
  'message.feedback',
  'message.sent',
  'message.delivery_failed',
  'keyword.detected',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.erased',
];

/** Webhook endpoints: where events are POSTed, the one-time signing secret, and each delivery. */
export function WebhooksPage() {
  const client = useQueryClient();
  const hooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/webhooks', { params: { query: { limit: 100 } } }))).data,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['webhooks'] });
  const [url, setUrl] = useState('');
  const [all, setAll] = useState(true);
  const [events, setEvents] = useState<WebhookEvent[]>(['message.created']);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/webhooks', { body: { url, events: all ? ['*'] : events } })),
    onSuccess: (body) => {
      setSecret(body.data.secret);
      setUrl('');
      refresh();
    },
  });
  const errors = useFormErrors(create.error);
  const toggle = useMutation({
    mutationFn: (v: { id: string; active: boolean }) => unwrap(api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: v.id } }, body: { active: v.active } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <>
      <h1>Webhooks</h1>
      {secret && (
        <div className="notice secret" role="alert">
          <p>
            <strong>Signing secret — copy it now, it will not be shown again.</strong>
          </p>
          <code className="secret-value">{secret}</code>
          <button type="button" className="btn btn-ghost" onClick={() => setSecret(null)}>
            I have saved it
          </button>
        </div>
      )}
      {hooks.isPending ? (
        <Loading />
      ) : hooks.isError ? (
        <ErrorState error={hooks.error} retry={() => void hooks.refetch()} />
      ) : hooks.data.length === 0 ? (
        <Empty title="No webhook endpoints">Add one to receive Parley's events on your server.</Empty>
      ) : (
        <ul className="card-list">
          {hooks.data.map((h) => (
            <li key={h.id} className="card">
              <div className="row-between">
                <span>
                  <strong className="break">{h.url}</strong> <span className={`badge ${h.active ? 'badge-active' : ''}`}>{h.active ? 'active' : 'inactive'}</span>
                  <div className="muted">{h.events.join(', ')}</div>
                </span>
                <span>
                  <button type="button" className="btn" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
                    Deliveries
                  </button>{' '}
                  <button type="button" className="btn" onClick={() => toggle.mutate({ id: h.id, active: !h.active })}>
                    {h.active ? 'Disable' : 'Enable'}
                  </button>{' '}
                  <button type="button" className="btn btn-ghost" onClick={() => window.confirm(`Delete ${h.url}?`) && remove.mutate(h.id)}>
                    Delete
                  </button>
                </span>
              </div>
              {open === h.id && <DeliveryLog webhookId={h.id} />}
            </li>
          ))}
        </ul>
      )}
      <FormError error={toggle.error ?? remove.error} />
      <form className="card form" onSubmit={submit} aria-label="Add a webhook endpoint">
        <h2>Add an endpoint</h2>
        <label>
          URL
          <input
            type="url"
            value={url}
            required
            placeholder="https://example.com/parley-events"
            aria-describedby="webhook-url-error"
            onChange={(e) => {
              errors.edited('url');
              setUrl(e.target.value);
            }}
          />
          <FieldError id="webhook-url-error" message={errors.field('url')} />
        </label>
        <fieldset>
          <legend>Events</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={all}
              onChange={(e) => {
                errors.edited('events');
                setAll(e.target.checked);
              }}
            />{' '}
            Every event
          </label>
          {!all &&
            EVENTS.map((ev) => (
              <label key={ev} className="check">
                <input
                  type="checkbox"
                  checked={events.includes(ev)}
                  onChange={(e) => {
                    errors.edited('events');
                    setEvents((cur) => (e.target.checked ? [...cur, ev] : cur.filter((x) => x !== ev)));
                  }}
                />{' '}
                {ev}
              </label>
            ))}
          <FieldError message={errors.field('events')} />
        </fieldset>
        <FormError error={errors.formError} />
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Add endpoint
        </button>
      </form>
    </>
  );
}
