import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../src/shared/db/schema.js';
import { login, type TestSession } from './auth.js';
import { createTestApp, DIALECTS, holdTransaction, sleep, type TestApp } from './helpers.js';
import { api } from './http.js';

/**
 * A PATCH racing another change of the same row (PostgreSQL, where the other change can be held
 * uncommitted). The PATCH sends a field back to the value it had before the other change, plus
 * a field of its own. Compared against the row read before the other change committed, the first
 * field looked unchanged and was skipped: the PATCH answered 200 yet left the other change's
 * value stored, and answered a row saying otherwise. Every PATCH must be applied against the
 * row as stored when it writes, and answer what it left stored.
 */
describe.each(DIALECTS.filter((d) => d === 'postgres'))('a PATCH racing another change of the row on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
  });
  afterAll(async () => t.close());

  /** Holds `change` uncommitted while the PATCH is sent, then commits it: the PATCH's answer and the stored row. */
  async function patchDuring(
    change: (trx: Transaction<DB>) => Promise<unknown>,
    url: string,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
    method: 'PATCH' | 'POST' = 'PATCH',
  ) {
    const held = await holdTransaction(t.database, change);
    const patching = api<{ data: Record<string, unknown> }>(t, method, url, body, headers);
    await sleep(300);
    await held.commit();
    const res = await patching;
    expect(res.status).toBe(200);
    const stored = await api<{ data: Record<string, unknown> }>(t, 'GET', url, undefined, headers);
    return { answered: res.body.data, stored: stored.body.data };
  }

  it('agents', async () => {
    const id = t.workspace.agentId;
    const { answered, stored } = await patchDuring(
      (trx) => trx.updateTable('agents').set({ status: 'inactive' }).where('id', '=', id).execute(),
      `/api/v1/agents/${id}`,
      { name: 'Renamed agent', status: 'active' },
    );
    expect(stored).toMatchObject({ name: 'Renamed agent', status: 'active' });
    expect(answered).toEqual(stored);
  });

  it('channels', async () => {
    const id = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Chat', type: 'web_widget' })).body.data.id;
    const { answered, stored } = await patchDuring(
      (trx) => trx.updateTable('channels').set({ active: 0 }).where('id', '=', id).execute(),
      `/api/v1/channels/${id}`,
      { name: 'Website chat', active: true },
    );
    expect(stored).toMatchObject({ name: 'Website chat', active: true });
    expect(answered).toEqual(stored);
  });

  it('conversation states', async () => {
    const created = await api<{ data: { id: string; color: string } }>(t, 'POST', '/api/v1/conversation_states', { name: 'Waiting' });
    const { id, color } = created.body.data;
    const { answered, stored } = await patchDuring(
      (trx) => trx.updateTable('conversation_states').set({ color: '#123456' }).where('id', '=', id).execute(),
      `/api/v1/conversation_states/${id}`,
      { name: 'Waiting on customer', color },
    );
    expect(stored).toMatchObject({ name: 'Waiting on customer', color });
    expect(answered).toEqual(stored);
  });

  it('webhooks', async () => {
    const id = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/parley' })).body.data.id;
    const { answered, stored } = await patchDuring(
      (trx) => trx.updateTable('webhook_endpoints').set({ active: 0, deactivated_at: new Date().toISOString() }).where('id', '=', id).execute(),
      `/api/v1/webhooks/${id}`,
      { description: 'CRM sync', active: true },
    );
    expect(stored).toMatchObject({ description: 'CRM sync', active: true });
    expect(answered).toEqual(stored);
  });

  it('workspace settings (POST)', async () => {
    const before = await api<{ data: { timezone: string } }>(t, 'GET', '/api/v1/settings/workspace', undefined, admin.headers);
    const { timezone } = before.body.data;
    const { answered, stored } = await patchDuring(
      (trx) => trx.updateTable('accounts').set({ timezone: 'Pacific/Auckland' }).where('id', '=', t.workspace.accountId).execute(),
      '/api/v1/settings/workspace',
      { name: 'Renamed workspace', timezone },
      admin.headers,
      'POST', // seed 001's settings are changed with POST
    );
    expect(stored).toMatchObject({ name: 'Renamed workspace', timezone });
    expect(answered).toEqual(stored);
  });
});
