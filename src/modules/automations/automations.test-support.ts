import { expect } from 'vitest';
import type { TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { createTasks } from '../../tasks.js';

/** Shared by the automations tests: the API's shapes and the steps every scenario takes. */

export interface Automation {
  id: string;
  name: string;
  event: string;
  conditions: Array<{ field: string; operator: string; value: unknown }>;
  actions: Array<{ type: string; value: unknown }>;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface Run {
  id: string;
  automation_id: string;
  event_id: number;
  event_type: string | null;
  conversation_id: string | null;
  matched: boolean;
  status: string;
  actions: Array<{ type: string; status: string; error: string | null }>;
  error: string | null;
  created_at: string;
}

export interface Conversation {
  id: string;
  contact_id: number;
  status: string;
  mode: string;
  tags: string[];
  priority: string;
  assignee_id: string | null;
  state_id: string | null;
  agent_id: string;
  channel_id: string | null;
}

export type One<T> = { data: T };
export type Many<T> = { data: T[]; pagination: { cursor: string | null; has_more: boolean } };
export type Auth = Record<string, string>;

/** A workspace of its own, so rules left by one scenario never fire in another. */
export async function freshWorkspace(t: TestApp) {
  return t.otherWorkspace();
}

export async function createAutomation(t: TestApp, auth: Auth, body: Record<string, unknown>): Promise<Automation> {
  const res = await api<One<Automation>>(t, 'POST', '/api/v1/automations', body, auth);
  expect(res.status, res.text).toBe(201);
  return res.body.data;
}

/** Starts a conversation with a new contact, optionally on a channel of the given type. */
export async function startConversation(
  t: TestApp,
  auth: Auth,
  opts: { email?: string; metadata?: Record<string, unknown>; channelType?: string } = {},
): Promise<Conversation> {
  const contact = await api<One<{ id: number }>>(t, 'POST', '/api/v1/contacts', { email: opts.email, metadata: opts.metadata }, auth);
  expect(contact.status, contact.text).toBeLessThan(300);
  let channelId: string | undefined;
  if (opts.channelType) {
    // An email channel needs its mail settings; nothing is sent in these tests (no reply is written).
    const config = opts.channelType === 'email' ? { address: 'support@shop.example', smtp: { host: '127.0.0.1', port: 2525, secure: false } } : undefined;
    const channel = await api<One<{ id: string }>>(t, 'POST', '/api/v1/channels', { name: 'Channel', type: opts.channelType, config }, auth);
    expect(channel.status, channel.text).toBe(201);
    channelId = channel.body.data.id;
  }
  const conv = await api<One<Conversation>>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id, channel_id: channelId }, auth);
  expect(conv.status, conv.text).toBe(201);
  return conv.body.data;
}

export async function getConversation(t: TestApp, auth: Auth, id: string): Promise<Conversation> {
  return (await api<One<Conversation>>(t, 'GET', `/api/v1/conversations/${id}`, undefined, auth)).body.data;
}

export async function postMessage(t: TestApp, auth: Auth, conversationId: string, content: string): Promise<void> {
  const res = await api(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { content }, auth);
  expect(res.status, res.text).toBeLessThan(300);
}

/** The background task, run once by hand (the test app starts no background tasks). */
export async function runAutomations(t: TestApp): Promise<number> {
  const task = createTasks(t.services).find((x) => x.name === 'automations');
  if (!task) throw new Error('the automations task is not registered');
  return task.run();
}

export async function runsOf(t: TestApp, auth: Auth, automationId: string): Promise<Run[]> {
  const res = await api<Many<Run>>(t, 'GET', `/api/v1/automations/${automationId}/runs?limit=100`, undefined, auth);
  expect(res.status, res.text).toBe(200);
  return res.body.data;
}
