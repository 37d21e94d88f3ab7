import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { undoMigrationsAfter, migrateToLatest } from '../../shared/db/migrations/index.js';

describe.each(DIALECTS)('the audit log store (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('records an entry with the actor named at the time and no secret in its details', async () => {
    const admin = await t.database.db.selectFrom('members').select(['id', 'email']).where('account_id', '=', t.workspace.accountId).executeTakeFirstOrThrow();
    await t.services.audit.record({
      accountId: t.workspace.accountId,
      actor: { kind: 'member', accountId: t.workspace.accountId, memberId: admin.id, role: 'admin', sessionId: 's' },
      action: 'member.updated',
      target: { type: 'member', id: admin.id },
      details: { name: 'Ada', password: 'hunter22', nested: { smtp_password: 'x', webhook_secret: 'y', keep: 1 } },
      ip: '203.0.113.9',
    });
    const row = await t.database.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      account_id: t.workspace.accountId,
      actor_type: 'member',
      actor_id: admin.id,
      actor_name: admin.email,
      action: 'member.updated',
      target_type: 'member',
      target_id: admin.id,
      ip: '203.0.113.9',
    });
    expect(JSON.parse(row.details)).toEqual({ name: 'Ada', nested: { keep: 1 } });
  });

  it('keeps a failed sign-in of an unknown email with no workspace', async () => {
    await t.services.audit.record({ accountId: null, actor: { type: 'anonymous', id: null, name: 'nobody@example.com' }, action: 'auth.sign_in_failed', ip: '198.51.100.1' });
    const row = await t.database.db.selectFrom('audit_log').selectAll().where('account_id', 'is', null).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_type: 'anonymous', actor_name: 'nobody@example.com', details: '{}' });
  });

  it('migrates down and up again', async () => {
    await undoMigrationsAfter(t.database, '0022-channels-email');
    const rows = sql`select count(*) as n from audit_log`.execute(t.database.db);
    await expect(rows).rejects.toThrow();
    await migrateToLatest(t.database);
    expect(await t.database.db.selectFrom('audit_log').select('id').execute()).toEqual([]);
  });
});
