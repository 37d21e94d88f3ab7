import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { login } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { createServices } from '../../services.js';
import { startTasks } from '../../shared/tasks/tasks.js';
import { createAutomationsTask } from './automations.task.js';
import {
  createAutomation,
  getConversation,
  postMessage,
  runAutomations,
  runsOf,
  startConversation,
  type Many,
  type Run,
} from './automations.test-support.js';

const TAG_REFUNDS = {
  name: 'Tag refunds',
  event: 'message.created',
  conditions: [{ field: 'message.content', operator: 'contains', value: 'refund' }],
  actions: [{ type: 'add_tag', value: 'refund' }],
};

async function operatorMessages(t: TestApp, accountId: string, conversationId: string): Promise<number> {
  const rows = await t.database.db
    .selectFrom('messages')
    .select('id')
    .where('account_id', '=', accountId)
    .where('conversation_id', '=', conversationId)
    .where('role', '=', 'operator')
    .execute();
  return rows.length;
}

describe.each(DIALECTS)('the automations consumer on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    // The rules here see the AI decline question after question: it must not hand over meanwhile.
    await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { handoff_after_declines: 0 });
  });
  afterAll(async () => t.close());

  /** Another workspace whose agent, declining question after question, never hands over. */
  const quietWorkspace = async () => {
    const ws = await t.otherWorkspace();
    await api(t, 'PATCH', `/api/v1/agents/${ws.agentId}`, { handoff_after_declines: 0 }, ws.auth);
    return ws;
  };

  it("fires the issue's example: an admin creates an automation and the next matching message triggers it", async () => {
    const ws = await quietWorkspace();
    const admin = await login(t, ws.adminEmail, ws.adminPassword);
    const created = await api<{ data: { id: string } }>(
      t,
      'POST',
      '/api/v1/automations',
      {
        name: 'Escalate refund requests',
        event: 'message.created',
        conditions: [
          { field: 'message.role', operator: 'equals', value: 'user' },
          { field: 'message.content', operator: 'matches_keyword', value: ['refund', 'chargeback'] },
        ],
        actions: [
          { type: 'add_tag', value: 'billing' },
          { type: 'set_mode', value: 'manual' },
          { type: 'assign', value: admin.member.id },
          { type: 'send_message', value: 'A colleague from billing is joining the conversation.' },
        ],
        active: true,
      },
      admin.headers,
    );
    expect(created.status).toBe(201);
    const conv = await startConversation(t, ws.auth);
    await postMessage(t, ws.auth, conv.id, 'I want a refund, this is the third time!');
    // The AI reply is a message.created too: evaluated, not matched.
    expect(await runAutomations(t)).toBe(2);

    const after = await getConversation(t, ws.auth, conv.id);
    expect(after).toMatchObject({ tags: ['billing'], mode: 'manual', assignee_id: admin.member.id });
    expect(await operatorMessages(t, ws.accountId, conv.id)).toBe(1);
    const runs = await runsOf(t, admin.headers, created.body.data.id);
    expect(runs.map((r) => [r.matched, r.status])).toEqual([
      [false, 'ok'],
      [true, 'ok'],
    ]);
  });

  it('runs a rule once for a change it causes itself: automations do not trigger automations', async () => {
    const ws = await quietWorkspace();
    const rule = await createAutomation(t, ws.auth, { name: 'Touch', event: 'conversation.updated', actions: [{ type: 'add_tag', value: 'touched' }] });
    const conv = await startConversation(t, ws.auth);
    await api(t, 'PATCH', `/api/v1/conversations/${conv.id}`, { title: 'A person edits this' }, ws.auth);
    for (let i = 0; i < 3; i++) await runAutomations(t);
    expect(await runsOf(t, ws.auth, rule.id)).toHaveLength(1);
    expect((await getConversation(t, ws.auth, conv.id)).tags).toEqual(['touched']);
  });

  it('does not run inactive rules, and runs them again once toggled on', async () => {
    const ws = await quietWorkspace();
    const rule = await createAutomation(t, ws.auth, { ...TAG_REFUNDS, active: false });
    const conv = await startConversation(t, ws.auth);
    await postMessage(t, ws.auth, conv.id, 'refund please');
    await runAutomations(t);
    expect(await runsOf(t, ws.auth, rule.id)).toEqual([]);
    expect((await getConversation(t, ws.auth, conv.id)).tags).toEqual([]);

    await api(t, 'POST', `/api/v1/automations/${rule.id}/toggle`, undefined, ws.auth);
    await postMessage(t, ws.auth, conv.id, 'refund, please!');
    await runAutomations(t);
    expect((await runsOf(t, ws.auth, rule.id)).filter((r) => r.matched)).toHaveLength(1);
    expect((await getConversation(t, ws.auth, conv.id)).tags).toEqual(['refund']);
  });

  it("never runs one account's rules on another account's events", async () => {
    const a = await quietWorkspace();
    const b = await quietWorkspace();
    const rule = await createAutomation(t, a.auth, TAG_REFUNDS);
    const conv = await startConversation(t, b.auth);
    await postMessage(t, b.auth, conv.id, 'refund');
    await runAutomations(t);
    expect(await runsOf(t, a.auth, rule.id)).toEqual([]);
    expect((await getConversation(t, b.auth, conv.id)).tags).toEqual([]);
  });

  it('applies a rule only to events after it was created', async () => {
    const ws = await quietWorkspace();
    const conv = await startConversation(t, ws.auth);
    await postMessage(t, ws.auth, conv.id, 'refund');
    const rule = await createAutomation(t, ws.auth, TAG_REFUNDS);
    await runAutomations(t);
    expect(await runsOf(t, ws.auth, rule.id)).toEqual([]);
  });

  it('never runs a rule twice for one event, even when the checkpoint is lost or a run was interrupted', async () => {
    const ws = await quietWorkspace();
    const rule = await createAutomation(t, ws.auth, {
      ...TAG_REFUNDS,
      actions: [{ type: 'send_message', value: 'We are on it.' }],
    });
    const conv = await startConversation(t, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/mode`, { mode: 'manual' }, ws.auth);
    await postMessage(t, ws.auth, conv.id, 'refund');
    await runAutomations(t);
    expect(await operatorMessages(t, ws.accountId, conv.id)).toBe(1);

    // A crash after the actions but before the checkpoint moved: the events are read again.
    const rewind = () => t.database.db.updateTable('event_consumers').set({ last_event_id: 0 }).where('name', '=', 'automations').execute();
    await rewind();
    await runAutomations(t);
    expect(await operatorMessages(t, ws.accountId, conv.id)).toBe(1);
    expect(await runsOf(t, ws.auth, rule.id)).toHaveLength(1);

    // A crash in the middle of the actions leaves the run "running": it is closed, not retried.
    await t.database.db.updateTable('automation_runs').set({ status: 'running' }).where('automation_id', '=', rule.id).execute();
    await rewind();
    await runAutomations(t);
    expect(await operatorMessages(t, ws.accountId, conv.id)).toBe(1);
    const [run] = await runsOf(t, ws.auth, rule.id);
    expect(run.status).toBe('error');
    expect(run.error).toMatch(/interrupted/i);
  });

  it('lists runs newest first, in pages', async () => {
    const ws = await quietWorkspace();
    const rule = await createAutomation(t, ws.auth, TAG_REFUNDS);
    const conv = await startConversation(t, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/mode`, { mode: 'manual' }, ws.auth);
    for (const content of ['one', 'refund two', 'three']) await postMessage(t, ws.auth, conv.id, content);
    await runAutomations(t);
    const first = await api<Many<Run>>(t, 'GET', `/api/v1/automations/${rule.id}/runs?limit=2`, undefined, ws.auth);
    const second = await api<Many<Run>>(
      t, 'GET', `/api/v1/automations/${rule.id}/runs?limit=2&cursor=${first.body.pagination.cursor}`, undefined, ws.auth,
    );
    const runs = [...first.body.data, ...second.body.data];
    expect(first.body.pagination.has_more).toBe(true);
    expect(second.body.pagination).toEqual({ cursor: null, has_more: false });
    expect(runs.map((r) => r.matched)).toEqual([false, true, false]);
    expect(runs.map((r) => r.event_id)).toEqual([...runs.map((r) => r.event_id)].sort((x, y) => y - x));
  });

  it('runs right after a commit when started as a background task, without waiting for its interval', async () => {
    const ws = await quietWorkspace();
    await createAutomation(t, ws.auth, TAG_REFUNDS);
    const conv = await startConversation(t, ws.auth);
    await runAutomations(t);
    const task = createAutomationsTask({ consumer: t.services.automationsConsumer, eventLog: t.services.eventLog, intervalMs: 3_600_000 });
    const running = startTasks([task], { info: () => {}, error: () => {} });
    try {
      await postMessage(t, ws.auth, conv.id, 'refund');
      await vi.waitFor(async () => expect((await getConversation(t, ws.auth, conv.id)).tags).toEqual(['refund']), { timeout: 5000 });
    } finally {
      await running.stop();
    }
  });

  it.runIf(dialect === 'postgres')('lets one process at a time advance the log when several run at once', async () => {
    const ws = await quietWorkspace();
    const rule = await createAutomation(t, ws.auth, { ...TAG_REFUNDS, actions: [{ type: 'send_message', value: 'On it.' }] });
    const conv = await startConversation(t, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/mode`, { mode: 'manual' }, ws.auth);
    for (let i = 0; i < 5; i++) await postMessage(t, ws.auth, conv.id, `refund ${i}`);
    // Three more "processes": their own services over the same database.
    const others = [1, 2, 3].map(() => createServices({ database: t.database, config: { llm: null } }).automationsConsumer);
    await Promise.all([t.services.automationsConsumer.run(), ...others.map((c) => c.run())]);
    await Promise.all(others.map((c) => c.run()));
    expect(await operatorMessages(t, ws.accountId, conv.id)).toBe(5);
    const runs = await runsOf(t, ws.auth, rule.id);
    expect(runs).toHaveLength(5);
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
  });
});
