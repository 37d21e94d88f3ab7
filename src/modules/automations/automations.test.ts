import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { createAutomation, type Automation, type Many, type One } from './automations.test-support.js';

const RULE = {
  name: 'Tag refund requests',
  event: 'message.created',
  conditions: [{ field: 'message.content', operator: 'contains', value: 'refund' }],
  actions: [{ type: 'add_tag', value: 'refund' }],
};

describe.each(DIALECTS)('automations API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('creates an automation with 201, active by default, and reads it back', async () => {
    const created = await createAutomation(t, t.auth, RULE);
    expect(Object.keys(created).sort()).toEqual(
      ['actions', 'active', 'conditions', 'created_at', 'event', 'id', 'name', 'updated_at'].sort(),
    );
    expect(created).toMatchObject({ ...RULE, active: true });
    expect(created.created_at).toBe(created.updated_at);
    const got = await api<One<Automation>>(t, 'GET', `/api/v1/automations/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(created);
  });

  it('stores tags normalised, an end_conversation action with a null value, and no conditions as []', async () => {
    const a = await createAutomation(t, t.auth, {
      name: '  Close VIP chats  ',
      event: 'conversation.updated',
      conditions: [{ field: 'conversation.tags', operator: 'contains', value: '  VIP  ' }],
      actions: [{ type: 'add_tag', value: ' Closed  By Bot ' }, { type: 'end_conversation' }],
      active: false,
    });
    expect(a).toMatchObject({
      name: 'Close VIP chats',
      conditions: [{ field: 'conversation.tags', operator: 'contains', value: 'vip' }],
      actions: [{ type: 'add_tag', value: 'closed by bot' }, { type: 'end_conversation', value: null }],
      active: false,
    });
    const bare = await createAutomation(t, t.auth, { name: 'Any message', event: 'message.created', actions: [{ type: 'set_priority', value: 'high' }] });
    expect(bare.conditions).toEqual([]);
  });

  it('refuses malformed rules with 400, naming each bad condition or action by index, and creates nothing', async () => {
    const before = await api<Many<Automation>>(t, 'GET', '/api/v1/automations?limit=100');
    const cond = (c: Record<string, unknown>, event = 'message.created') => ({ ...RULE, event, conditions: [RULE.conditions[0], c] });
    const act = (a: Record<string, unknown>, event = 'message.created') => ({ ...RULE, event, actions: [RULE.actions[0], a] });
    const cases: Array<[unknown, string]> = [
      [{ ...RULE, name: '  ' }, 'name'],
      [{ ...RULE, event: 'message.deleted' }, 'event'],
      [{ ...RULE, actions: [] }, 'actions'],
      [{ name: 'x', event: 'message.created' }, 'actions'],
      [cond({ field: 'message.sender', operator: 'equals', value: 'x' }), 'conditions.1.field'],
      [cond({ field: 'contact.metadata.', operator: 'equals', value: 'x' }), 'conditions.1.field'],
      [cond({ field: 'message.content', operator: 'resembles', value: 'x' }), 'conditions.1.operator'],
      [cond({ field: 'message.content', operator: 'gt', value: 3 }), 'conditions.1.operator'],
      [cond({ field: 'conversation.tags', operator: 'equals', value: 'vip' }), 'conditions.1.operator'],
      [cond({ field: 'message.content', operator: 'contains' }), 'conditions.1.value'],
      [cond({ field: 'message.content', operator: 'contains', value: 7 }), 'conditions.1.value'],
      [cond({ field: 'message.content', operator: 'in', value: 'refund' }), 'conditions.1.value'],
      [cond({ field: 'message.content', operator: 'in', value: [] }), 'conditions.1.value'],
      [cond({ field: 'message.content', operator: 'equals', value: { a: 1 } }), 'conditions.1.value'],
      [cond({ field: 'contact.metadata.seats', operator: 'gt', value: '10' }), 'conditions.1.value'],
      [cond({ field: 'message.content', operator: 'matches_keyword', value: [] }), 'conditions.1.value'],
      [cond({ field: 'conversation.mode', operator: 'equals', value: 'robot' }), 'conditions.1.value'],
      [cond({ field: 'conversation.priority', operator: 'in', value: ['high', 'critical'] }), 'conditions.1.value'],
      [cond({ field: 'message.content', operator: 'contains', value: 'x', extra: 1 }), 'conditions.1.extra'],
      [{ ...RULE, event: 'conversation.created' }, 'conditions.0.field'],
      [{ ...RULE, event: 'contact.created', conditions: [] }, 'actions.0.type'],
      [act({ type: 'launch_rocket' }), 'actions.1.type'],
      [act({ type: 'add_tag', value: '   ' }), 'actions.1.value'],
      [act({ type: 'add_tag', value: 'x'.repeat(51) }), 'actions.1.value'],
      [act({ type: 'set_mode', value: 'robot' }), 'actions.1.value'],
      [act({ type: 'set_priority', value: 'critical' }), 'actions.1.value'],
      [act({ type: 'assign', value: 'not-a-uuid' }), 'actions.1.value'],
      [act({ type: 'set_state', value: 12 }), 'actions.1.value'],
      [act({ type: 'send_message', value: '' }), 'actions.1.value'],
      [act({ type: 'add_note' }), 'actions.1.value'],
      [act({ type: 'end_conversation', value: 'now' }), 'actions.1.value'],
      [act({ type: 'send_webhook', value: 'https://example.com' }), 'actions.1.value'],
    ];
    for (const [body, field] of cases) {
      const res = await api(t, 'POST', '/api/v1/automations', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      expect(errorOf(res).details, JSON.stringify(body)).toHaveProperty([field]);
    }
    const both = await api(t, 'POST', '/api/v1/automations', {
      ...RULE,
      conditions: [{ field: 'nope', operator: 'equals', value: 1 }, RULE.conditions[0], { field: 'message.role', operator: 'equals', value: 'bot' }],
      actions: [{ type: 'set_mode', value: 'x' }],
    });
    expect(Object.keys(errorOf(both).details).sort()).toEqual(['actions.0.value', 'conditions.0.field', 'conditions.2.value']);
    const after = await api<Many<Automation>>(t, 'GET', '/api/v1/automations?limit=100');
    expect(after.body.data).toEqual(before.body.data);
  });

  it("answers 422 when an action names a member, state or webhook endpoint that is not the account's", async () => {
    const other = await t.otherWorkspace();
    const otherAdmin = await login(t, other.adminEmail, other.adminPassword);
    const stranger = otherAdmin.member.id;
    const missing = '0190a0b0-0000-7000-8000-000000000000';
    for (const action of [
      { type: 'assign', value: stranger },
      { type: 'set_state', value: missing },
      { type: 'send_webhook', value: missing },
    ]) {
      const res = await api(t, 'POST', '/api/v1/automations', { ...RULE, actions: [RULE.actions[0], action] });
      expect(res.status, action.type).toBe(422);
      expect(errorOf(res).code).toBe('UNPROCESSABLE_ENTITY');
      expect(errorOf(res).details).toHaveProperty(['actions.1.value']);
    }
    const admin = await login(t);
    const state = await api<One<{ id: string }>>(t, 'POST', '/api/v1/conversation_states', { name: 'Waiting' }, admin.headers);
    const ok = await createAutomation(t, t.auth, {
      ...RULE,
      actions: [{ type: 'assign', value: admin.member.id }, { type: 'assign', value: null }, { type: 'set_state', value: state.body.data.id }],
    });
    expect(ok.actions[0]).toEqual({ type: 'assign', value: admin.member.id });
  });

  it('never stores a rule no PATCH checked, when PATCHes of its event and its conditions race', async () => {
    for (let round = 0; round < 10; round++) {
      const a = await createAutomation(t, t.auth, RULE);
      const results = await Promise.all([
        api(t, 'PATCH', `/api/v1/automations/${a.id}`, {
          event: 'conversation.created',
          conditions: [{ field: 'conversation.priority', operator: 'equals', value: 'urgent' }],
        }),
        // Valid with the event it reads (message.created), not with the one the other PATCH sets.
        api(t, 'PATCH', `/api/v1/automations/${a.id}`, { conditions: [{ field: 'message.content', operator: 'contains', value: 'money back' }] }),
      ]);
      expect(results[0].status).toBe(200);
      expect([200, 400]).toContain(results[1].status);
      const stored = (await api<One<Automation>>(t, 'GET', `/api/v1/automations/${a.id}`)).body.data;
      // conversation.created carries no message: a message.* condition could never be checked.
      if (stored.event === 'conversation.created') {
        expect(stored.conditions.every((c) => !c.field.startsWith('message.'))).toBe(true);
      }
    }
  });

  it('updates with PATCH, replacing conditions and actions whole and checking the rule as it will be stored', async () => {
    const a = await createAutomation(t, t.auth, RULE);
    await new Promise((r) => setTimeout(r, 3));
    const renamed = await api<One<Automation>>(t, 'PATCH', `/api/v1/automations/${a.id}`, { name: 'Refunds' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'Refunds', conditions: RULE.conditions, actions: RULE.actions });
    expect(renamed.body.data.updated_at > a.updated_at).toBe(true);

    // message.content cannot be read on conversation.created: the event alone cannot change.
    const moved = await api(t, 'PATCH', `/api/v1/automations/${a.id}`, { event: 'conversation.created' });
    expect(moved.status).toBe(400);
    expect(errorOf(moved).details).toHaveProperty(['conditions.0.field']);

    const replaced = await api<One<Automation>>(t, 'PATCH', `/api/v1/automations/${a.id}`, {
      event: 'conversation.created',
      conditions: [{ field: 'conversation.priority', operator: 'equals', value: 'urgent' }],
      actions: [{ type: 'set_mode', value: 'manual' }],
      active: false,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toMatchObject({
      event: 'conversation.created',
      conditions: [{ field: 'conversation.priority', operator: 'equals', value: 'urgent' }],
      actions: [{ type: 'set_mode', value: 'manual' }],
      active: false,
    });
    const same = await api<One<Automation>>(t, 'PATCH', `/api/v1/automations/${a.id}`, { name: 'Refunds', active: false });
    expect(same.body.data).toEqual(replaced.body.data);
    expect((await api(t, 'PATCH', `/api/v1/automations/${a.id}`, { actions: [] })).status).toBe(400);
    expect((await api<One<Automation>>(t, 'GET', `/api/v1/automations/${a.id}`)).body.data).toEqual(replaced.body.data);
  });

  it('toggles active and inactive', async () => {
    const a = await createAutomation(t, t.auth, RULE);
    const off = await api<One<Automation>>(t, 'POST', `/api/v1/automations/${a.id}/toggle`);
    expect(off.status).toBe(200);
    expect(off.body.data.active).toBe(false);
    const on = await api<One<Automation>>(t, 'POST', `/api/v1/automations/${a.id}/toggle`, {});
    expect(on.body.data.active).toBe(true);
    expect((await api<One<Automation>>(t, 'GET', `/api/v1/automations/${a.id}`)).body.data.active).toBe(true);
  });

  it('deletes with 204, after which the automation and its runs are gone', async () => {
    const a = await createAutomation(t, t.auth, RULE);
    const res = await api(t, 'DELETE', `/api/v1/automations/${a.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    for (const [method, url] of [
      ['GET', `/api/v1/automations/${a.id}`],
      ['GET', `/api/v1/automations/${a.id}/runs`],
      ['DELETE', `/api/v1/automations/${a.id}`],
      ['POST', `/api/v1/automations/${a.id}/toggle`],
    ] as const) {
      expect((await api(t, method, url)).status, `${method} ${url}`).toBe(404);
    }
  });

  it('lists oldest first with filters on event and active, in pages with an opaque cursor', async () => {
    const other = await t.otherWorkspace();
    for (let i = 0; i < 5; i++) {
      await createAutomation(t, other.auth, { ...RULE, name: `rule ${i}`, active: i !== 2 });
    }
    await createAutomation(t, other.auth, { name: 'ended', event: 'conversation.ended', actions: [{ type: 'add_tag', value: 'done' }] });
    const names = async (query: string) =>
      (await api<Many<Automation>>(t, 'GET', `/api/v1/automations?${query}`, undefined, other.auth)).body.data.map((a) => a.name);
    expect(await names('event=conversation.ended')).toEqual(['ended']);
    expect(await names('active=false')).toEqual(['rule 2']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Many<Automation> } = await api<Many<Automation>>(
        t, 'GET', `/api/v1/automations?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, other.auth,
      );
      seen.push(...page.body.data.map((a) => a.name));
      cursor = page.body.pagination.cursor;
    } while (cursor);
    expect(seen).toEqual(['rule 0', 'rule 1', 'rule 2', 'rule 3', 'rule 4', 'ended']);
    expect((await api(t, 'GET', '/api/v1/automations?cursor=bogus!')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/automations?event=nope')).status).toBe(400);
  });

  it("answers 404 for another account's automation on every route, and lists only its own", async () => {
    const mine = await createAutomation(t, t.auth, RULE);
    const other = await t.otherWorkspace();
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'hijacked' }],
      ['DELETE', '', undefined],
      ['POST', '/toggle', undefined],
      ['GET', '/runs', undefined],
    ] as const) {
      const res = await api(t, method, `/api/v1/automations/${mine.id}${suffix}`, body, other.auth);
      expect(res.status, `${method} ${suffix}`).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect((await api<Many<Automation>>(t, 'GET', '/api/v1/automations', undefined, other.auth)).body.data).toEqual([]);
    expect((await api<One<Automation>>(t, 'GET', `/api/v1/automations/${mine.id}`)).body.data).toEqual(mine);
  });

  it('answers 403 to agent-role members on every route, reads included; admins may do everything', async () => {
    const admin = await login(t);
    const agent = await loginAsAgentMember(t, admin);
    const a = await createAutomation(t, admin.headers, RULE);
    for (const [method, url, body] of [
      ['GET', '/api/v1/automations', undefined],
      ['POST', '/api/v1/automations', RULE],
      ['GET', `/api/v1/automations/${a.id}`, undefined],
      ['PATCH', `/api/v1/automations/${a.id}`, { name: 'x' }],
      ['DELETE', `/api/v1/automations/${a.id}`, undefined],
      ['POST', `/api/v1/automations/${a.id}/toggle`, undefined],
      ['GET', `/api/v1/automations/${a.id}/runs`, undefined],
    ] as const) {
      const res = await api(t, method, url, body, agent.headers);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
    expect((await api<One<Automation>>(t, 'GET', `/api/v1/automations/${a.id}`, undefined, admin.headers)).body.data).toEqual(a);
    expect((await api(t, 'POST', `/api/v1/automations/${a.id}/toggle`, undefined, admin.headers)).status).toBe(200);
    expect((await api(t, 'DELETE', `/api/v1/automations/${a.id}`, undefined, admin.headers)).status).toBe(204);
  });

  it('answers 400 to malformed ids and pagination', async () => {
    expect((await api(t, 'GET', '/api/v1/automations/not-a-uuid')).status).toBe(400);
    expect((await api(t, 'GET', '/api/v1/automations?limit=0')).status).toBe(400);
    const a = await createAutomation(t, t.auth, RULE);
    expect((await api(t, 'GET', `/api/v1/automations/${a.id}/runs?cursor=x`)).status).toBe(400);
  });
});
