import type { ReactElement } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useAgents } from '../inbox/queries';
import { ErrorState, Empty, Loading } from '../ui/States';
import { OperatorsTable } from './OperatorsTable';

const RANGES = [7, 30, 90, 365] as const;

/** Colours picked for contrast on white and to stay apart for colour-blind readers. */
const C = { blue: '#1d4ed8', orange: '#c2410c', green: '#15803d', purple: '#7e22ce', grey: '#4b5563' };

function seconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v < 90 ? `${Math.round(v)} s` : v < 5400 ? `${Math.round(v / 60)} min` : `${(v / 3600).toFixed(1)} h`;
}

/** The series of /api/v1/analytics as charts, over a chosen number of days. */
export function AnalyticsPage() {
  const [params, setParams] = useSearchParams();
  const days = Number(params.get('days')) || 30;
  const agentId = params.get('agent_id') ?? '';
  const agents = useAgents().data ?? [];
  const analytics = useQuery({
    queryKey: ['analytics', days, agentId],
    queryFn: async () => (await unwrap(api.GET('/api/v1/analytics', { params: { query: { days, agent_id: agentId || undefined, group_by: 'member' } } }))).data,
  });
  const set = (key: string, value: string) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });

  const data = analytics.data;
  const series = (data?.series ?? []).map((d) => ({
    date: d.date.slice(5),
    started: d.conversations.started,
    ended: d.conversations.ended,
    handoffs: d.conversations.handoffs,
    ai_resolved: d.conversations.ai_resolved,
    contact: d.messages.user,
    ai: d.messages.assistant,
    operator: d.messages.operator,
    first_ai: d.median_first_response_seconds.ai,
    first_human: d.median_first_response_seconds.human,
    likes: d.feedback.likes,
    dislikes: d.feedback.dislikes,
    csat_average: d.csat.average,
    csat_count: d.csat.count,
  }));
  const csat = data?.totals.csat;

  return (
    <div className="page">
      <h1>Analytics</h1>
      <div className="toolbar">
        <div role="group" aria-label="Day range" className="segmented">
          {RANGES.map((r) => (
            <button key={r} type="button" className={r === days ? 'btn btn-primary' : 'btn'} aria-pressed={r === days} onClick={() => set('days', String(r))}>
              {r === 365 ? '1 year' : `${r} days`}
            </button>
          ))}
        </div>
        <label className="filter">
          AI agent
          <select value={agentId} onChange={(e) => set('agent_id', e.target.value)}>
            <option value="">All</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {analytics.isPending ? (
        <Loading label="Counting…" />
      ) : analytics.isError ? (
        <ErrorState error={analytics.error} retry={() => void analytics.refetch()} />
      ) : !data ? null : (
        <>
          <div className="kpis">
            <Kpi label="Conversations started" value={data.totals.conversations.started} />
            <Kpi label="Resolved by AI" value={data.totals.conversations.ai_resolved} />
            <Kpi label="Handed to humans" value={data.totals.conversations.handoffs} />
            <Kpi label="Median first reply (AI)" value={seconds(data.totals.median_first_response_seconds.ai)} />
            <Kpi label="Median first reply (human)" value={seconds(data.totals.median_first_response_seconds.human)} />
            <Kpi label="Feedback: helpful / not" value={`${data.totals.feedback.likes} / ${data.totals.feedback.dislikes}`} />
            <Kpi
              label={`CSAT (${csat!.count} rating${csat!.count === 1 ? '' : 's'})`}
              value={csat!.average === null ? '—' : `${csat!.average.toFixed(1)} / 5`}
            />
          </div>
          {data.totals.conversations.started === 0 && data.totals.messages.user === 0 ? (
            <Empty title="No activity in this range" />
          ) : (
            <div className="charts">
              <Chart title="Conversations per day">
                <BarChart data={series}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar isAnimationActive={false} dataKey="started" name="Started" fill={C.blue} />
                  <Bar isAnimationActive={false} dataKey="handoffs" name="Handoffs" fill={C.orange} />
                  <Bar isAnimationActive={false} dataKey="ai_resolved" name="Resolved by AI" fill={C.green} />
                </BarChart>
              </Chart>
              <Chart title="Messages per day">
                <LineChart data={series}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Line isAnimationActive={false} type="monotone" dataKey="contact" name="Contacts" stroke={C.grey} dot={false} />
                  <Line isAnimationActive={false} type="monotone" dataKey="ai" name="AI" stroke={C.purple} dot={false} />
                  <Line isAnimationActive={false} type="monotone" dataKey="operator" name="Operators" stroke={C.blue} dot={false} />
                </LineChart>
              </Chart>
              <Chart title="Median first response (seconds)">
                <LineChart data={series}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis />
                  <Tooltip />
                  <Legend />
                  <Line isAnimationActive={false} type="monotone" dataKey="first_ai" name="AI" stroke={C.purple} connectNulls />
                  <Line isAnimationActive={false} type="monotone" dataKey="first_human" name="Human" stroke={C.orange} connectNulls />
                </LineChart>
              </Chart>
              <Chart title="Feedback">
                <BarChart data={series}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar isAnimationActive={false} dataKey="likes" name="Helpful" stackId="f" fill={C.green} />
                  <Bar isAnimationActive={false} dataKey="dislikes" name="Not helpful" stackId="f" fill={C.orange} />
                </BarChart>
              </Chart>
            </div>
          )}
          {Object.values(data.totals.conversations.handoffs_by_source).some((n) => n > 0) && (
            <section className="card">
              <h2>Handoffs by who asked</h2>
              <ul className="rows">
                {(
                  [
                    ['ai', 'The AI'],
                    ['visitor', 'Customers (“Talk to a person”)'],
                    ['operator', 'Operators'],
                    ['automation', 'Automations'],
                    ['api', 'Integrations'],
                  ] as const
                ).map(([key, label]) => (
                  <li key={key}>
                    <span>{label}</span> <span>{data.totals.conversations.handoffs_by_source[key]}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {csat!.count > 0 && (
            <div className="charts">
              <Chart title="CSAT per day (average of 1–5)">
                <LineChart data={series}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis domain={[1, 5]} allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Line isAnimationActive={false} type="monotone" dataKey="csat_average" name="Average rating" stroke={C.green} connectNulls />
                </LineChart>
              </Chart>
              <Chart title="CSAT ratings">
                <BarChart data={(['1', '2', '3', '4', '5'] as const).map((r) => ({ rating: `${r} ★`, count: csat!.distribution[r] }))}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="rating" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar isAnimationActive={false} dataKey="count" name="Ratings" fill={C.blue} />
                </BarChart>
              </Chart>
            </div>
          )}
          <OperatorsTable title="By operator" rows={data.members ?? []} empty="No members yet." />
          <OperatorsTable title="By team" rows={data.teams ?? []} empty="No teams yet: create one under Admin → Teams." />
          {data.top_tags.length > 0 && (
            <section className="card">
              <h2>Top tags</h2>
              <ul className="rows">
                {data.top_tags.map((t) => (
                  <li key={t.tag}>
                    <span>#{t.tag}</span> <span>{t.count}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </div>
  );
}

function Kpi({ label, value }: { label: string; value: number | string }) {
  return (
    <div className="card kpi">
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

function Chart({ title, children }: { title: string; children: ReactElement }) {
  return (
    <figure className="card chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <ResponsiveContainer width="100%" height={240}>
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
