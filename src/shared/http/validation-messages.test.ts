import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorObject } from 'ajv';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { collapseUnions, plainMessage, summaryMessage } from './validation-messages.js';
import { validationDetails } from './validation.js';

const err = (keyword: string, params: Record<string, unknown>, at = { instancePath: '/name', schemaPath: '#/properties/name' }) =>
  ({ keyword, params, ...at }) as ErrorObject;

describe('validation messages in plain words', () => {
  it.each([
    ['required', { missingProperty: 'name' }, 'is required'],
    ['minLength', { limit: 1 }, 'cannot be empty'],
    ['minLength', { limit: 8 }, 'must be at least 8 characters long'],
    ['maxLength', { limit: 200 }, 'must be at most 200 characters long'],
    ['maxLength', { limit: 1 }, 'must be at most 1 character long'],
    ['pattern', { pattern: '\\S' }, 'cannot be blank'],
    ['pattern', { pattern: '^[a-z]+$' }, 'is not in the expected form'],
    ['format', { format: 'date-time' }, 'must be a date and time, like 2026-01-31T09:30:00Z'],
    ['format', { format: 'email' }, 'must be an email address'],
    ['format', { format: 'uuid' }, 'must be a valid id'],
    ['enum', { allowedValues: ['low', 'normal', 'high'] }, 'must be one of: low, normal, high'],
    ['minimum', { limit: 0, comparison: '>=' }, 'must be at least 0'],
    ['maximum', { limit: 1000, comparison: '<=' }, 'must be at most 1000'],
    ['additionalProperties', { additionalProperty: 'colour' }, 'is not a field Parley knows'],
    ['type', { type: 'string' }, 'must be text'],
    ['type', { type: 'integer' }, 'must be a whole number'],
    ['type', { type: 'boolean' }, 'must be true or false'],
    ['type', { type: 'array' }, 'must be a list'],
    ['minItems', { limit: 1 }, 'needs at least one item'],
    ['maxItems', { limit: 100 }, 'can hold at most 100 items'],
    ['uniqueItems', { i: 1, j: 0 }, 'must not list the same item twice'],
    ['if', {}, 'is not an accepted value'],
  ])('%s %j reads "%s"', (keyword, params, expected) => {
    const message = plainMessage(err(keyword, params));
    expect(message).toBe(expected);
    expect(message).not.toMatch(/must match|must NOT|must be (string|integer|>=|<=)/);
  });

  it('says what a union accepts in one sentence, not once per branch', () => {
    const union = { instancePath: '/state_id', schemaPath: '#/properties/state_id/anyOf' };
    const branch = (n: number) => ({ instancePath: '/state_id', schemaPath: `#/properties/state_id/anyOf/${n}/type` });
    const wrongKind = collapseUnions([err('type', { type: 'string' }, branch(0)), err('type', { type: 'null' }, branch(1)), err('anyOf', {}, union)]);
    expect(wrongKind.map((x) => x.message)).toEqual(['must be text or null']);
    const literals = collapseUnions([err('const', { allowedValue: 'a' }, branch(0)), err('const', { allowedValue: 'b' }, branch(1)), err('anyOf', {}, union)]);
    expect(literals.map((x) => x.message)).toEqual(['must be one of: a, b']);
    const broken = collapseUnions([err('minLength', { limit: 1 }, branch(0)), err('type', { type: 'null' }, branch(1)), err('anyOf', {}, union)]);
    expect(broken.map((x) => x.message)).toEqual(['cannot be empty']);
  });

  it('tells what an object of a union lacks at its own field', () => {
    const union = { instancePath: '/business_hours', schemaPath: '#/properties/business_hours/anyOf' };
    const errors = [
      err('required', { missingProperty: 'enabled' }, { instancePath: '/business_hours', schemaPath: '#/properties/business_hours/anyOf/0/required' }),
      err('type', { type: 'null' }, { instancePath: '/business_hours', schemaPath: '#/properties/business_hours/anyOf/1/type' }),
      err('anyOf', {}, union),
    ];
    expect({ ...validationDetails(errors, 'body') }).toEqual({ 'business_hours.enabled': ['is required'] });
  });

  it('sums the fields up in the envelope message', () => {
    expect(summaryMessage({ name: ['cannot be blank'], email: ['must be an email address', 'is required'] })).toBe(
      'name cannot be blank; email must be an email address',
    );
    expect(summaryMessage({})).toBe('The request is not valid');
  });
});

describe.each(DIALECTS)('validation messages of real routes on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('tells a bad body field by field, keeping the code and the envelope', async () => {
    const res = await api(t, 'POST', '/api/v1/teams', { name: '', max_open_per_member: -1, colour: 'red' });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({
      code: 'BAD_REQUEST',
      message: 'colour is not a field Parley knows; name cannot be empty; max_open_per_member must be at least 0',
      details: { name: ['cannot be empty'], max_open_per_member: ['must be at least 0'], colour: ['is not a field Parley knows'] },
    });
  });

  it('tells missing fields, wrong kinds and choices in plain words', async () => {
    const missing = await api(t, 'POST', '/api/v1/contacts', { email: 'not an email' });
    expect(errorOf(missing).details).toEqual({ email: ['must be an email address'] });
    const kind = await api(t, 'POST', '/api/v1/automations', { name: 'Tag', event: 'nope', actions: 'tag' });
    expect(kind.status).toBe(400);
    expect(errorOf(kind).details.actions).toEqual(['must be a list']);
    expect(String((errorOf(kind).details.event as string[])[0])).toMatch(/^must be one of: contact\.created, /);
    const query = await api(t, 'GET', '/api/v1/analytics?days=400');
    expect(errorOf(query)).toEqual({ code: 'BAD_REQUEST', message: 'days must be at most 365', details: { days: ['must be at most 365'] } });
  });

  it('says a name of nothing but spaces cannot be blank, as the schema would', async () => {
    const res = await api(t, 'POST', '/api/v1/automations', {
      name: '   ',
      event: 'message.created',
      actions: [{ type: 'add_tag', value: 'x' }],
    });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({ code: 'BAD_REQUEST', message: 'name cannot be blank', details: { name: ['cannot be blank'] } });
  });

  it('never answers in developer words', async () => {
    for (const [method, url, body] of [
      ['POST', '/api/v1/teams', { name: 'x'.repeat(101) }],
      ['POST', '/api/v1/contacts', { email: 5 }],
      ['GET', '/api/v1/conversations?limit=abc', undefined],
      ['POST', '/api/v1/automations', {}],
    ] as const) {
      const res = await api(t, method, url, body);
      expect(res.status, url).toBe(400);
      expect(res.text, url).not.toMatch(/must match|must NOT|must be (string|integer|number|>=|<=)|Invalid `/);
    }
  });
});
