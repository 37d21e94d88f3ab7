import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { paths } from '../api/schema';
import { useAgents, useChannels } from '../inbox/queries';
import { Empty, ErrorState, FormError, Loading } from '../ui/States';
import './exports.css';

type ExportBody = NonNullable<paths['/api/v1/exports']['post']['requestBody']>['content']['application/json'];
type Filters = NonNullable<ExportBody['filters']>;

const RESOURCES: Array<[ExportBody['resource'], string]> = [
  ['conversations', 'Conversations'],
  ['messages', 'Messages'],
  ['contacts', 'Contacts'],
];
const STATUS_LABEL: Record<string, string> = {
  pending: 'Waiting',
  running: 'Writing…',
  done: 'Ready',
  failed: 'Failed',
  expired: 'Expired',
};

/** A date input's day as the start of that day in the browser's time zone, as the API takes it. */
const startOfDay = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);

/**
 * Bulk exports: start one (what, which format, which conversations), and download it when the
 * worker has written it. The list refreshes every two seconds while an export is under way.
 */
export function ExportsPage() {
  const client = useQueryClient();
  const exports = useQuery({
    queryKey: ['exports'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/exports', { params: { query: { limit: 50 } } }))).data,
    refetchInterval: (query) => (query.state.data?.some((e) => e.status === 'pending' || e.status === 'running') ? 2000 : false),
  });
  const agents = useAgents();
  const channels = useChannels();
  const [resource, setResource] = useState<ExportBody['resource']>('conversations');
  const [format, setFormat] = useState<ExportBody['format']>('csv');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [agentId, setAgentId] = useState('');
  const [channelId, setChannelId] = useState('');
  const [status, setStatus] = useState<'' | 'active' | 'ended'>('');
  const [tag, setTag] = useState('');
  const forConversations = resource !== 'contacts';

  const start = useMutation({
    mutationFn: () => {
      const filters: Filters = { since: startOfDay(since), until: until ? startOfDay(nextDay(until)) : undefined };
      if (forConversations) Object.assign(filters, { agent_id: agentId || undefined, channel_id: channelId || undefined, status: status || undefined, tag: tag.trim() || undefined });
      return unwrap(api.POST('/api/v1/exports', { body: { resource, format, filters } }));
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: ['exports'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };

  return (
    <>
      <h1>Exports</h1>
      <p className="muted">
        Every conversation, message or contact of the workspace as a file (CSV for spreadsheets, NDJSON for programs). A download link works for 24 hours
        and needs no sign-in, so share it with care.
      </p>
      <form className="card form export-form" onSubmit={submit} aria-label="Start an export">
        <h2>Start an export</h2>
        <div className="export-fields">
          <label>
            Data
            <select value={resource} onChange={(e) => setResource(e.target.value as ExportBody['resource'])}>
              {RESOURCES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportBody['format'])}>
              <option value="csv">CSV</option>
              <option value="ndjson">NDJSON</option>
            </select>
          </label>
          <label>
            From
            <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
          </label>
          <label>
            To (included)
            <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
          </label>
        </div>
        {forConversations && (
          <fieldset className="export-fields">
            <legend>Only conversations…</legend>
            <label>
              Agent
              <select value={agentId} onChange={(e) => setAgentId(e.target.value)}>
                <option value="">Any</option>
                {(agents.data ?? []).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Channel
              <select value={channelId} onChange={(e) => setChannelId(e.target.value)}>
                <option value="">Any</option>
                {(channels.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Status
              <select value={status} onChange={(e) => setStatus(e.target.value as '' | 'active' | 'ended')}>
                <option value="">Any</option>
                <option value="active">Open</option>
                <option value="ended">Ended</option>
              </select>
            </label>
            <label>
              Tag
              <input value={tag} maxLength={50} onChange={(e) => setTag(e.target.value)} />
            </label>
          </fieldset>
        )}
        <FormError error={start.error} />
        <div>
          <button type="submit" className="btn btn-primary" disabled={start.isPending}>
            Start export
          </button>
        </div>
      </form>

      <h2>Recent exports</h2>
      {exports.isPending ? (
        <Loading />
      ) : exports.isError ? (
        <ErrorState error={exports.error} retry={() => void exports.refetch()} />
      ) : exports.data.length === 0 ? (
        <Empty title="No exports yet">Start one above; it appears here while it is written.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="exports-table" aria-label="Exports">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Data</th>
                <th scope="col">Status</th>
                <th scope="col">Rows</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {exports.data.map((e) => (
                <tr key={e.id}>
                  <td>{new Date(e.created_at).toLocaleString()}</td>
                  <td>
                    {e.resource} · {e.format.toUpperCase()}
                    {describeFilters(e.filters) && <div className="muted">{describeFilters(e.filters)}</div>}
                  </td>
                  <td>
                    <span className={`badge export-${e.status}`}>{STATUS_LABEL[e.status] ?? e.status}</span>
                    {e.error && <div className="form-error">{e.error}</div>}
                  </td>
                  <td>{e.row_count.toLocaleString()}</td>
                  <td>
                    {e.download_url ? (
                      <a className="btn" href={e.download_url} download>
                        Download
                      </a>
                    ) : e.status === 'done' || e.status === 'expired' ? (
                      <span className="muted">Link expired</span>
                    ) : null}
                    {e.expires_at && e.download_url && <div className="muted">until {new Date(e.expires_at).toLocaleString()}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function describeFilters(filters: Filters): string {
  const parts: string[] = [];
  if (filters.since) parts.push(`from ${new Date(filters.since).toLocaleDateString()}`);
  if (filters.until) parts.push(`before ${new Date(filters.until).toLocaleDateString()}`);
  if (filters.status) parts.push(filters.status === 'active' ? 'open' : 'ended');
  if (filters.tag) parts.push(`tag ${filters.tag}`);
  if (filters.agent_id) parts.push('one agent');
  if (filters.channel_id) parts.push('one channel');
  return parts.join(', ');
}
