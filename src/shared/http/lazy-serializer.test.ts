import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { serializationSchema } from './lazy-serializer.js';

describe('response serialization schemas', () => {
  it('turns nullable scalars into type lists and nullable objects into `nullable`, and leaves other unions alone', () => {
    const schema = Type.Object({
      at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      n: Type.Union([Type.Null(), Type.Integer({ minimum: 0 })]),
      either: Type.Union([Type.String(), Type.Integer()]),
      obj: Type.Union([Type.Object({ a: Type.String() }), Type.Null()]),
      list: Type.Array(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    });
    const out = JSON.parse(JSON.stringify(serializationSchema(schema))) as { properties: Record<string, Record<string, unknown>> };
    expect(out.properties.at).toEqual({ type: ['string', 'null'] });
    expect(out.properties.n).toEqual({ type: ['integer', 'null'], minimum: 0 });
    expect(out.properties.either.anyOf).toHaveLength(2);
    expect(out.properties.obj).toMatchObject({ type: 'object', nullable: true, properties: { a: { type: 'string' } } });
    expect(out.properties.obj.anyOf).toBeUndefined();
    expect((out.properties.list.items as Record<string, unknown>).type).toEqual(['string', 'null']);
    expect(JSON.stringify(schema)).toContain('date-time'); // the route's own schema is untouched
  });
});

describe('nullable fields over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('writes nulls as null and any string escaped, byte for byte what was stored', async () => {
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'esc@example.com' })).body.data.id;
    const title = 'He said "hi" \\ then\nleft\u0001 </script>';
    const created = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact, title });
    const res = await api<{ data: Record<string, unknown> }>(t, 'GET', `/api/v1/conversations/${created.body.data.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data.title).toBe(title);
    expect(res.body.data.summary).toBeNull();
    expect(res.body.data.ended_at).toBeNull();
    expect(res.body.data.score).toBeNull();
    expect(typeof res.body.data.created_at).toBe('string');
  });

  it('writes an embedded object whole, and null where there is none', async () => {
    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'embed@example.com', name: 'Zoë "Z" <b>', metadata: { plan: 'pro' } })).body.data.id;
    const created = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact });
    const res = await api<{ data: Array<Record<string, unknown>> }>(t, 'GET', `/api/v1/conversations?contact_id=${contact}&include=contact,last_message`);
    expect(res.status).toBe(200);
    const row = res.body.data.find((c) => c.id === created.body.data.id)!;
    expect(row.contact).toMatchObject({ id: contact, name: 'Zoë "Z" <b>', email: 'embed@example.com', metadata: { plan: 'pro' } });
    expect(row.last_message).toBeNull();
  });
});
