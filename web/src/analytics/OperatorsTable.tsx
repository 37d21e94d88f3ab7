import { useState } from 'react';
import type { paths } from '../api/schema';
import './operators.css';

type Analytics = paths['/api/v1/analytics']['get']['responses'][200]['content']['application/json']['data'];
type Row = NonNullable<Analytics['members']>[number];
type Key = 'name' | 'handled' | 'first' | 'resolution' | 'csat';

/** "4 min", "45 s", "2.5 h", "3 d": a duration as a person says it; "—" when there is none. */
export function duration(v: number | null): string {
  if (v === null) return '—';
  if (v < 90) return `${Math.round(v)} s`;
  if (v < 5400) return `${Math.round(v / 60)} min`;
  if (v < 172_800) return `${(v / 3600).toFixed(1).replace(/\.0$/, '')} h`;
  return `${(v / 86_400).toFixed(1).replace(/\.0$/, '')} d`;
}

const COLUMNS: Array<{ key: Key; label: string; value: (r: Row) => string | number | null; show: (r: Row) => string }> = [
  { key: 'name', label: 'Name', value: (r) => r.name.toLowerCase(), show: (r) => r.name },
  { key: 'handled', label: 'Conversations handled', value: (r) => r.conversations_handled, show: (r) => String(r.conversations_handled) },
  { key: 'first', label: 'Median first response', value: (r) => r.median_first_response_seconds, show: (r) => duration(r.median_first_response_seconds) },
  { key: 'resolution', label: 'Median resolution time', value: (r) => r.median_resolution_seconds, show: (r) => duration(r.median_resolution_seconds) },
  {
    key: 'csat',
    label: 'CSAT',
    value: (r) => r.csat.average,
    show: (r) => (r.csat.average === null ? '—' : `${r.csat.average.toFixed(1)} / 5 (${r.csat.count} rating${r.csat.count === 1 ? '' : 's'})`),
  },
];

/**
 * Members' or teams' figures, sortable by any column (click the header again to reverse).
 * Rows without a value sort last either way. On a phone each row becomes a block of
 * "Median first response: 4 min" lines.
 */
export function OperatorsTable({ title, rows, empty }: { title: string; rows: Row[]; empty: string }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'handled', desc: true });
  const column = COLUMNS.find((c) => c.key === sort.key)!;
  const sorted = [...rows].sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return (sort.desc ? -order : order) || a.name.localeCompare(b.name);
  });
  const slug = title.toLowerCase().replace(/\W+/g, '-');

  return (
    <section className="card operators" aria-labelledby={`${slug}-title`}>
      <h2 id={`${slug}-title`}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="operators-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                  <button
                    type="button"
                    className="operators-sort"
                    onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.key !== 'name' }))}
                  >
                    {c.label}
                    <span aria-hidden="true">{sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.id}>
                {COLUMNS.map((c) =>
                  c.key === 'name' ? (
                    <th key={c.key} scope="row">
                      {c.show(r)}
                    </th>
                  ) : (
                    <td key={c.key} data-label={c.label}>
                      {c.show(r)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
