import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';

const RULE = {
  name: 'Route refunds',
  event: 'message.created',
  conditions: [{ field: 'message.content', operator: 'contains', value: 'refund' }],
  actions: [{ type: 'add_tag', value: 'refund' }],
};

/** The builder shows these at their field: they must read as advice to a person, not as a schema. */
describe.each(DIALECTS)('automation messages in plain words on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  const create = (body: object) => api(t, 'POST', '/api/v1/automations', { ...RULE, ...body });

  it('asks for a member, a state, a webhook endpoint by what they are', async () => {
    const res = await create({
      actions: [
        { type: 'assign', value: '' },
        { type: 'set_state', value: 'Waiting' },
        { type: 'send_webhook' },
        { type: 'set_priority', value: 'critical' },
      ],
    });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({
      code: 'BAD_REQUEST',
      message: 'Choose a member to assign to, or nobody (and 3 more to fix)',
      details: {
        'actions.0.value': ['Choose a member to assign to, or nobody'],
        'actions.1.value': ['Choose a state, or none'],
        'actions.2.value': ['Choose a webhook endpoint to send to'],
        'actions.3.value': ['Choose a priority: low, normal, high, urgent'],
      },
    });
  });

  it('says plainly when what a rule names is gone', async () => {
    const other = await t.otherWorkspace();
    const stranger = (await login(t, other.adminEmail, other.adminPassword)).member.id;
    const gone = '0190a0b0-0000-7000-8000-000000000000';
    const member = await create({ actions: [{ type: 'assign', value: stranger }] });
    expect(member.status).toBe(422);
    expect(errorOf(member)).toEqual({
      code: 'UNPROCESSABLE_ENTITY',
      message: 'This member is not in the workspace any more',
      details: { 'actions.0.value': ['This member is not in the workspace any more'] },
    });
    const state = await create({ actions: [{ type: 'set_state', value: gone }] });
    expect(errorOf(state).details).toEqual({ 'actions.0.value': ['This state does not exist any more'] });
  });

  it('explains conditions that do not fit their field or trigger', async () => {
    const res = await create({
      event: 'conversation.created',
      conditions: [
        { field: 'message.content', operator: 'contains', value: 'x' },
        { field: 'conversation.priority', operator: 'contains', value: 'high' },
        { field: 'conversation.mode', operator: 'equals', value: 'robot' },
        { field: 'nope', operator: 'equals', value: 1 },
      ],
      actions: [{ type: 'set_mode', value: 'robot' }],
    });
    expect(errorOf(res).details).toEqual({
      'conditions.0.field': ['A rule on conversation.created cannot read message.content: choose another field or trigger'],
      'conditions.1.operator': ['For conversation.priority, choose one of: equals, not equals, in'],
      'conditions.2.value': ['Choose one of: ai, manual'],
      'conditions.3.field': ['Choose a field a rule can read'],
      'actions.0.value': ['Choose ai or manual'],
    });
  });
});
