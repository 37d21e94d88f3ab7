import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { login } from '../../../test/auth.js';
import { normalizeBusinessHours } from '../../modules/accounts/business-hours.js';
import { api, errorOf } from '../../../test/http.js';

/**
 * Refusals the use cases make themselves (not the schema) read like the schema's own: the field,
 * then what is wrong with it, and never a developer's "Invalid `title`".
 */
describe.each(DIALECTS)('refusals worded in plain words on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  const refusal = async (method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await api(t, method, url, body, headers);
    expect(res.text).not.toMatch(/Invalid|`|known field/);
    return { status: res.status, error: errorOf(res) };
  };

  it('names a blank title or body, and a link that is not a web address', async () => {
    const { status, error } = await refusal('POST', `/api/v1/agents/${t.workspace.agentId}/documents`, {
      title: '   ',
      body: 'Refunds take five days.',
      url: 'ftp://example.com/refunds',
    });
    expect(status).toBe(400);
    expect(error).toEqual({
      code: 'BAD_REQUEST',
      message: 'title cannot be blank; url must be a web address starting with http:// or https://',
      details: { title: ['cannot be blank'], url: ['must be a web address starting with http:// or https://'] },
    });
  });

  it('says what a date and time looks like, for a list and for a snooze', async () => {
    const list = await refusal('GET', '/api/v1/conversations?since=yesterday');
    expect(list.status).toBe(400);
    expect(list.error).toEqual({
      code: 'BAD_REQUEST',
      message: 'since must be a date and time, like 2026-01-31T09:30:00Z',
      details: { since: ['must be a date and time, like 2026-01-31T09:30:00Z'] },
    });
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id });
    const snooze = await refusal('POST', `/api/v1/conversations/${conv.body.data.id}/snooze`, { until: 'tomorrow at nine' });
    expect(snooze.status).toBe(400);
    expect(snooze.error.details).toEqual({ until: ['must be a date and time, like 2026-01-31T09:30:00Z'] });
  });

  it('shows how event types are written', async () => {
    const { status, error } = await refusal('GET', '/api/v1/events?type=Message%20Created');
    expect(status).toBe(400);
    expect(error.message).toBe('type must be event types separated by commas, like message.created,conversation.ended');
    expect(error.details).toEqual({ type: ['must be event types separated by commas, like message.created,conversation.ended'] });
  });

  it('names each faulty part of business hours, an unknown one included', async () => {
    const admin = await login(t);
    const { status, error } = await refusal(
      'POST',
      '/api/v1/settings/workspace',
      { business_hours: { enabled: true, days: { mon: [['18:00', '09:00']], fri: [['09:00', '12:00'], ['11:00', '13:00']] } } },
      admin.headers,
    );
    expect(status).toBe(422);
    expect(error).toEqual({
      code: 'UNPROCESSABLE_ENTITY',
      message: 'business_hours.days.mon.0 must start before it ends; business_hours.days.fri.1 overlaps 09:00–12:00',
      details: {
        'business_hours.days.mon.0': ['must start before it ends'],
        'business_hours.days.fri.1': ['overlaps 09:00–12:00'],
      },
    });
    // The route's schema refuses an unknown part first; the rules themselves say it as plainly.
    let thrown: unknown;
    try {
      normalizeBusinessHours({ enabled: true, days: {}, holidays: [] }, 'UTC');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({
      message: 'business_hours.holidays is not part of business hours: use enabled, timezone and days',
      details: { 'business_hours.holidays': ['is not part of business hours: use enabled, timezone and days'] },
    });
    expect(() => normalizeBusinessHours('weekdays', 'UTC')).toThrow('business_hours must give enabled, timezone and days');
    expect(() => normalizeBusinessHours({ enabled: true, days: { mon: [['9', '17']] } }, 'UTC')).toThrow(
      'business_hours.days.mon.0 must be times from 00:00 to 24:00, written HH:MM',
    );
  });

  it('says what is wrong with a webhook address', async () => {
    const { status, error } = await refusal('POST', '/api/v1/webhooks', { url: 'ftp://example.com/hook', events: ['*'] });
    expect(status).toBe(422);
    expect(error).toEqual({ code: 'UNPROCESSABLE_ENTITY', message: 'The webhook address must use http or https', details: { url: ['must use http or https'] } });
  });
});
