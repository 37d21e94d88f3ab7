import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, openSecondHandle, type TestApp } from '../../../test/helpers.js';
import { createStampedCache } from './stamped-cache.js';

describe.each(DIALECTS)('keys and sessions kept in memory while none changes, on %s', (dialect) => {
  let t: TestApp;
  let accountId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    accountId = t.workspace.accountId;
    await sql`create table cache_probe (id integer primary key, v text)`.execute(t.database.db);
    await sql`insert into cache_probe (id, v) values (1, 'one'), (2, 'two'), (3, 'three')`.execute(t.database.db);
  });
  afterAll(async () => t.close());

  /** A cache over cache_probe, stamped with the database's auth counter, that counts its trips. */
  const probe = (max?: number) => {
    const read = createStampedCache<string>(t.database.authChanges, max);
    let loads = 0;
    const get = (id: number) =>
      read(String(id), async () => {
        loads++;
        const rows = await sql<{ v: string }>`select v from cache_probe where id = ${id}`.execute(t.database.db);
        return rows.rows[0]?.v;
      });
    return { get, loads: () => loads };
  };
  const touchKeys = () => sql`update api_keys set last_used_at = ${new Date().toISOString()} where account_id = ${accountId}`.execute(t.database.db);
  /** A write through another connection, as `parley keys revoke` in another process makes. */
  const elsewhere = async (statement: string) => {
    const other = openSecondHandle(dialect, t.location);
    try {
      await sql.raw(statement).execute(other.db);
    } finally {
      await other.close();
    }
  };

  it(dialect === 'sqlite' ? 'reads once until a key changes, whatever else is written' : 'reads every time', async () => {
    const c = probe();
    expect(await c.get(1)).toBe('one');
    expect(await c.get(1)).toBe('one');
    expect(c.loads()).toBe(dialect === 'sqlite' ? 1 : 2);
    await sql`update cache_probe set v = 'uno' where id = 2`.execute(t.database.db); // not an auth table
    expect(await c.get(1)).toBe('one');
    expect(c.loads()).toBe(dialect === 'sqlite' ? 1 : 3);
    await touchKeys();
    await c.get(1);
    expect(c.loads()).toBe(dialect === 'sqlite' ? 2 : 4);
    // A missing row is not kept: it may be created without anyone asking again.
    expect(await c.get(9)).toBeUndefined();
    expect(await c.get(9)).toBeUndefined();
    expect(c.loads()).toBe(dialect === 'sqlite' ? 4 : 6);
  });

  it.runIf(dialect === 'sqlite')('moves on every insert, update and delete of keys, sessions and members, from any connection', async () => {
    const counter = () => t.database.authChanges!()!;
    const moves = async (what: string, change: () => Promise<unknown>) => {
      const before = counter();
      await change();
      expect(counter(), what).toBeGreaterThan(before);
    };
    const now = new Date().toISOString();
    await moves('key updated', touchKeys);
    await moves('member updated', () => sql`update members set role = role where account_id = ${accountId}`.execute(t.database.db));
    const member = await t.database.db.selectFrom('members').select('id').where('account_id', '=', accountId).executeTakeFirstOrThrow();
    const session = { id: 's1', account_id: accountId, member_id: member.id, token_hash: 'h1', csrf_token: 'c', expires_at: now, last_seen_at: now, created_at: now };
    await moves('session inserted', () => t.database.db.insertInto('sessions').values(session).execute());
    await moves('session updated', () => t.database.db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', 's1').execute());
    await moves('session deleted', () => t.database.db.deleteFrom('sessions').where('id', '=', 's1').execute());
    await moves('key revoked by another process', () => elsewhere(`update api_keys set revoked_at = '${now}'`));
    await moves('key deleted by another process', () => elsewhere('delete from api_keys'));
    const unchanged = counter();
    await sql`update cache_probe set v = 'x' where id = 3`.execute(t.database.db);
    await elsewhere(`update cache_probe set v = 'y' where id = 3`);
    expect(counter()).toBe(unchanged);
  });

  it.runIf(dialect === 'sqlite')('trusts no value inside an open transaction, whose changes may yet be rolled back', async () => {
    const c = probe();
    await c.get(1);
    let inside: number | null = -1;
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        await sql`update members set role = role where account_id = ${accountId}`.execute(trx);
        inside = t.database.authChanges!();
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(inside).toBeNull();
    // The rolled-back change took the counter back with it: the row read before is still served.
    expect(await c.get(1)).toBe('one');
    expect(c.loads()).toBe(1);
  });

  it.runIf(dialect === 'sqlite')('does not keep a row read while a key changed, and keeps at most max rows', async () => {
    const read = createStampedCache<string>(t.database.authChanges);
    let loads = 0;
    const racing = () =>
      read('1', async () => {
        loads++;
        const v = (await sql<{ v: string }>`select v from cache_probe where id = 1`.execute(t.database.db)).rows[0].v;
        // A member changes between this read and its return (the keys are gone by now).
        await sql`update members set role = role where account_id = ${accountId}`.execute(t.database.db);
        return v;
      });
    await racing();
    await racing();
    expect(loads).toBe(2);

    const c = probe(2);
    for (const id of [1, 2, 1, 2]) await c.get(id);
    expect(c.loads()).toBe(2);
    await c.get(3); // a third row: the full cache starts again
    await c.get(1);
    expect(c.loads()).toBe(4);
  });
});
