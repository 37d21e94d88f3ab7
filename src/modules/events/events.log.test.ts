import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, openSecondHandle, openTestDatabase, type TestApp } from '../../../test/helpers.js';
import type { Database } from '../../shared/db/database.js';
import { createServices } from '../../services.js';

describe.each(DIALECTS)('the event log’s write transactions on %s', (dialect) => {
  let t: TestApp;
  let accountId: string;
  /** Another connection, as another process sees the database: committed rows only. */
  let other: Database;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    accountId = t.workspace.accountId;
    await sql`create table write_probe (n integer not null)`.execute(t.database.db);
    other = openSecondHandle(dialect, t.location);
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  /** A write of row `n` and its event, in the event log's transaction; `fail` throws after writing. */
  const write = (n: number, during?: () => Promise<void>, fail = false) =>
    t.services.eventLog.transaction(accountId, async (trx, emit) => {
      await sql`insert into write_probe (n) values (${n})`.execute(trx);
      emit('probe.written', { n });
      await during?.();
      if (fail) throw new Error(`write ${n} refused`);
      return n;
    });
  const committed = async (query: string) => Number((await sql.raw<{ count: number }>(query).execute(other.db)).rows[0].count);
  const probeRows = (n: number) => committed(`select count(*) as count from write_probe where n = ${n}`);
  const probeEvents = (n: number) =>
    committed(
      `select count(*) as count from events where type = 'probe.written' and ${dialect === 'sqlite' ? `json_extract(data, '$.n')` : `(data->>'n')::int`} = ${n}`,
    );

  it('commits each concurrent write with its events; one that throws is undone alone and rejects with its own error', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => write(n, undefined, n === 3)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('write 3 refused');
    for (const n of [1, 2, 4, 5]) {
      expect(await probeRows(n), `row ${n}`).toBe(1);
      expect(await probeEvents(n), `event ${n}`).toBe(1);
    }
    expect(await probeRows(3)).toBe(0);
    expect(await probeEvents(3)).toBe(0);
  });

  it('answers a write only once it is committed: another connection sees it by then', async () => {
    const seenAtAnswer = await Promise.all(
      [11, 12, 13, 14].map(async (n) => {
        await write(n);
        return probeRows(n);
      }),
    );
    expect(seenAtAnswer).toEqual([1, 1, 1, 1]);
  });

  it.runIf(dialect === 'sqlite')('writes queued while one runs share its commit (SQLite group commit)', async () => {
    let seenDuringLast = -1;
    const writes = [21, 22, 23].map((n) =>
      write(n, async () => {
        // The last write of the batch runs after the first two finished, before any commit.
        if (n === 23) seenDuringLast = (await probeRows(21)) + (await probeRows(22));
      }),
    );
    await Promise.all(writes);
    expect(seenDuringLast).toBe(0);
    expect((await probeRows(21)) + (await probeRows(22)) + (await probeRows(23))).toBe(3);
  });

  it('rejects writes, rather than leaving them waiting, once the database is closed', async () => {
    const gone = await openTestDatabase(dialect);
    const closed = createServices({ database: gone.database, config: { llm: null } });
    const ws = await closed.workspaces.create({ name: 'Closed', adminEmail: 'closed@example.com', adminPassword: 'correct horse battery staple', demo: false });
    await gone.cleanup();
    const writes = [1, 2, 3].map(() => closed.eventLog.transaction(ws.account_id, async (_trx, emit) => emit('probe.written', {})));
    const settled = await Promise.race([Promise.allSettled(writes), new Promise((resolve) => setTimeout(() => resolve('waiting'), 5000))]);
    expect(settled).not.toBe('waiting');
    expect((settled as PromiseSettledResult<unknown>[]).map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
