import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../helpers.js';
import { isErrorEnvelope } from './support.js';

/**
 * At least 10,000 generated bad requests, driven by the OpenAPI document: every route and method,
 * with wrong types, huge and deep JSON, odd unicode, bad ids and cursors, bad or missing auth,
 * wrong content types and garbage query strings. No 5xx, every error in the envelope, and the
 * server healthy afterwards. In-process (`app.inject`) over a real SQLite database (and PostgreSQL
 * when TEST_DATABASE_URL is set). FUZZ_SEED replays a run; FUZZ_RUNS changes its length.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = 8;

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  $ref?: string;
};

interface Operation {
  method: string;
  /** The OpenAPI path, `{param}` templated. */
  path: string;
  pathParams: string[];
  query: Record<string, Schema>;
  body: Schema | null;
}

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  label: string;
}

// ---- odd values -------------------------------------------------------------------------------

const BIG_ARRAY_JSON = JSON.stringify({ items: Array.from({ length: 50_000 }, (_, i) => i) });
const LONG_STRING = 'x'.repeat(70_000);
const LONG_ARRAY = Array.from({ length: 2000 }, (_, i) => i);

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDFFF',
  '\u202Eevil\u202C',
  '\u200B\u200C\u200D\uFEFF',
  'مرحبا بالعالم',
  '𝕳𝖊𝖑𝖑𝖔 🤖🏳️‍🌈',
  'e\u0301\u0301\u0301\u0301',
  '%00',
  '%ZZ',
  '%',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; drop table contacts; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9'.repeat(40),
  '-1',
  '0',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '01a20980-1d56-7001-9dbe-e84f4eeaa00',
  'null',
  'true',
  '[]',
  '{}',
  'x'.repeat(300),
  'é'.repeat(5000),
  // Emoji are surrogate pairs: text cut at an odd length would leave half of one.
  '🤖'.repeat(3001),
  'a' + '🏳️‍🌈'.repeat(700),
];

const oddString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** Deep JSON nesting: `[[[…]]]` or `{"a":{"a":…}}`. */
const deepJson = fc.tuple(fc.integer({ min: 20, max: 20_000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
);

const weirdNumber = fc.constantFrom(0, -1, -0, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER + 1, 1e-300);

/** Any JSON value of the wrong kind for wherever it lands. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  weirdNumber,
  fc.integer(),
  oddString,
  fc.constant(LONG_STRING),
  fc.array(fc.oneof(fc.integer(), oddString), { maxLength: 5 }),
  fc.dictionary(oddString, fc.oneof(fc.integer(), oddString, fc.constant(null)), { maxKeys: 4 }),
  fc.constant(LONG_ARRAY),
  fc.integer({ min: 10, max: 200 }).map((d) => JSON.parse('{"a":'.repeat(d) + '1' + '}'.repeat(d)) as unknown),
);

// ---- the OpenAPI document, read ---------------------------------------------------------------

function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 5 && s.$ref; i++) s = components[s.$ref.split('/').pop()!] ?? {};
  return s;
}

function operationsOf(doc: { paths: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, Schema> } }): Operation[] {
  const components = doc.components?.schemas ?? {};
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const op = raw as {
        parameters?: Array<{ in: string; name: string; schema?: Schema }>;
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      };
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, resolve(p.schema, components)])),
        body: op.requestBody?.content?.['application/json']?.schema
          ? resolve(op.requestBody.content['application/json'].schema, components)
          : null,
      });
    }
  }
  return ops;
}

/** A value that fits the schema more or less (valid-looking, so requests reach deeper code). */
function plausible(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => plausible(a, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'email') return fc.oneof(fc.emailAddress(), oddString);
      if (schema.format === 'uuid') return fc.oneof(fc.uuid(), oddString);
      if (schema.format === 'uri') return fc.oneof(fc.webUrl(), fc.constantFrom('http://127.0.0.1:1/x', 'ftp://x', 'http://[::1]/', 'javascript:alert(1)'));
      if (schema.format === 'date-time') return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), oddString);
      return fc.oneof(fc.string({ maxLength: 30 }), oddString);
    case 'integer':
    case 'number':
      return fc.oneof(fc.integer({ min: -5, max: 1000 }), weirdNumber);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(plausible(schema.items ?? {}, depth + 1), { maxLength: 4 });
    case 'object':
      return depth > 3 ? fc.constant({}) : objectFor(schema, depth);
    default:
      return fc.oneof(oddString, fc.integer(), fc.constant(null));
  }
}

/** An object for an object schema: each field plausible, wrong, or missing; sometimes an unknown one. */
function objectFor(schema: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {});
  const fields = props.map(([name, s]) =>
    fc.oneof(
      { weight: 14, arbitrary: plausible(s, depth + 1).map((v) => [name, v] as const) },
      { weight: 1, arbitrary: wrongValue.map((v) => [name, v] as const) },
      { weight: 2, arbitrary: fc.constant(null) },
    ),
  );
  return fc
    .tuple(fc.tuple(...fields), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(oddString, wrongValue) }))
    .map(([entries, extra]) => {
      const o: Record<string, unknown> = {};
      for (const e of entries) if (e) o[e[0]] = e[1];
      if (extra) o[extra[0]] = extra[1];
      return o;
    });
}

/** The raw body: from the schema most of the time, else garbage of every kind. */
function bodyFor(op: Operation): fc.Arbitrary<string | undefined> {
  const fromSchema = op.body ? objectFor(op.body).map((o) => JSON.stringify(o)) : fc.constant('{}');
  return fc.oneof(
    { weight: 10, arbitrary: fromSchema },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '1', '"x"', 'true', '[]', '[1,2', '{"a":1,"a":2}', '\uFEFF{}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', 'NaN', "{'a':1}", '{"a":1}garbage') },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: fc.constantFrom(1024 * 1024 + 10, 900 * 1024).map((n) => JSON.stringify({ content: 'x'.repeat(n) })) },
    { weight: 1, arbitrary: fc.constant(BIG_ARRAY_JSON) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: wrongValue.map((v) => JSON.stringify(v)) },
  );
}

function queryFor(op: Operation): fc.Arbitrary<string> {
  const names = Object.keys(op.query);
  const pairs = fc.array(
    fc.oneof(
      names.length
        ? fc.tuple(fc.constantFrom(...names), fc.oneof(...names.map((n) => plausible(op.query[n]).map(String)), oddString, fc.constantFrom('-1', '0', '101', '1e3', '1.5', 'abc', '', '!!!', '%ZZ', 'MA==', '999999999999999999999')))
        : fc.tuple(oddString, oddString),
      fc.tuple(fc.constantFrom('cursor', 'limit', 'after', 'before', 'q', 'since', 'until'), oddString),
      fc.tuple(oddString, oddString),
    ),
    { maxLength: 5 },
  );
  const encoded = pairs.map((ps) => ps.map(([k, v]) => `${encodeURIComponent(safe(k))}=${encodeURIComponent(safe(v))}`).join('&'));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 6, arbitrary: encoded },
    { weight: 1, arbitrary: fc.constantFrom('', '?', '&&&', 'a', '=', 'limit', 'limit=1&limit=2', 'cursor=%ZZ', 'cursor=%00', 'q=%F0%28%8C%28', 'q=%ED%A0%80', 'email=%ED%B0%80%40x.com', 'x[y][z]=1', 'limit[]=1', 'a=' + 'b'.repeat(9000)) },
  );
}

/** encodeURIComponent throws on lone surrogates: send those as their raw UTF-8-invalid escape instead. */
function safe(s: string): string {
  return s.replace(/[\uD800-\uDFFF]/g, (c, i: number, all: string) => {
    const code = c.charCodeAt(0);
    const pairHigh = code < 0xdc00 && /[\uDC00-\uDFFF]/.test(all[i + 1] ?? '');
    const pairLow = code >= 0xdc00 && /[\uD800-\uDBFF]/.test(all[i - 1] ?? '');
    return pairHigh || pairLow ? c : '?';
  });
}

function pathValue(name: string, valid: Record<string, string[]>): fc.Arbitrary<string> {
  const known = valid[name] ?? [];
  return fc.oneof(
    { weight: known.length ? 4 : 0, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant('1') },
    { weight: 3, arbitrary: oddString.map((s) => encodeURIComponent(safe(s)) || '%20') },
    { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1.5', '99999999999999999999', '1e3', '0x10', '%2F', '..', '%2e%2e', '%ZZ', '%00', 'x'.repeat(250), '%F0%9F%A4%96', '%C0%AF') },
  );
}

// ---- the test ---------------------------------------------------------------------------------

// SQLite is the main run; PostgreSQL (when TEST_DATABASE_URL is set) gets a shorter one of its own.
describe.each(DIALECTS)('fuzz: generated bad requests (%s)', (dialect) => {
  const runs = dialect === 'sqlite' ? RUNS : Math.ceil(RUNS * 0.3);
  let t: TestApp;
  let ops: Operation[];
  const valid: Record<string, string[]> = {};
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: false });
    const inj = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      t.app.inject({ method, url, headers: t.auth, payload: payload as Record<string, unknown> | undefined });
    const contacts: string[] = [];
    const conversations: string[] = [];
    const messages: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = (await inj('POST', '/api/v1/contacts', { email: `fuzz-${i}@example.com`, name: 'Fuzz' })).json<{ data: { id: number } }>();
      contacts.push(String(c.data.id));
      const v = (await inj('POST', '/api/v1/conversations', { contact_id: c.data.id })).json<{ data: { id: string } }>();
      conversations.push(v.data.id);
      const m = (await inj('POST', `/api/v1/conversations/${v.data.id}/messages`, { content: 'hello' })).json<{ data: { user_message: { id: number } } }>();
      messages.push(String(m.data.user_message.id));
    }
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: t.workspace.adminEmail, password: t.workspace.adminPassword },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    session = { cookie, csrf: login.json<{ csrf_token: string }>().csrf_token };
    Object.assign(valid, {
      id: [...contacts, ...conversations, t.workspace.agentId],
      conversation_id: conversations,
      message_id: messages,
      document_id: ['1'],
      tag: ['vip'],
    });
    ops = operationsOf(t.app.swagger() as never);
  });

  afterAll(async () => {
    await t?.close();
  });

  it(`answers ${runs} generated bad requests with no 5xx and always in the envelope (seed ${SEED})`, async () => {
    expect(ops.length).toBeGreaterThan(40);

    const auth = fc.oneof(
      { weight: 6, arbitrary: fc.constant<Record<string, string>>(t.auth) },
      { weight: 5, arbitrary: fc.constant<Record<string, string>>({ cookie: session.cookie, 'x-csrf-token': session.csrf }) },
      { weight: 1, arbitrary: fc.constant<Record<string, string>>({ cookie: session.cookie }) },
      { weight: 1, arbitrary: fc.constant<Record<string, string>>({}) },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(
            'Bearer',
            'Bearer ',
            'Bearer sk_live_',
            'Bearer sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
            `Bearer ${t.workspace.apiKey}x`,
            `Bearer ${t.workspace.apiKey.slice(0, -1)}`,
            `Basic ${Buffer.from('a:b').toString('base64')}`,
            `bearer ${t.workspace.apiKey} extra`,
            `Bearer ${'sk_live_' + 'a'.repeat(5000)}`,
            'Bearer sk_test_\u00e9\u00e9',
            'Token abc',
          )
          .map((authorization) => ({ authorization })),
      },
      { weight: 1, arbitrary: fc.constantFrom('parley_session=', 'parley_session=abc', `parley_session=${'a'.repeat(4000)}`, 'garbage').map((cookie) => ({ cookie })) },
    );
    const contentType = fc.oneof(
      { weight: 8, arbitrary: fc.constant('application/json') },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/json-patch+json',
          'application/xml',
          'APPLICATION/JSON',
          'application/json;;;',
          '*/*',
        ),
      },
    );
    const extraHeaders = fc.oneof(
      { weight: 6, arbitrary: fc.constant<Record<string, string>>({}) },
      { weight: 1, arbitrary: oddString.map((s) => ({ 'idempotency-key': safe(s).replace(/[^\x20-\x7e]/g, '?') || 'k' })) },
      { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({ 'idempotency-key': 'x'.repeat(1000) }, { 'last-event-id': '-1' }, { 'last-event-id': 'abc' }, { accept: 'text/event-stream' }, { 'content-encoding': 'gzip' }, { 'x-request-id': '../../\u0000' }) },
    );

    // One arbitrary per operation, built once (building them per sample is most of the time).
    const perOperation = ops.map((op) =>
      fc
        .record({
          params: fc.tuple(...op.pathParams.map((p) => pathValue(p, valid))),
          query: queryFor(op),
          body: op.method === 'GET' || op.method === 'DELETE' ? fc.option(bodyFor(op), { freq: 8, nil: undefined }) : bodyFor(op),
          auth,
          contentType,
          extra: extraHeaders,
        })
        .map(({ params, query, body, auth: a, contentType: ct, extra }) => {
          let url = op.path;
          op.pathParams.forEach((name, i) => (url = url.replace(`{${name}}`, params[i])));
          // Two requests would end the run's coverage if they succeeded: signing the session out,
          // and opening the events stream (it never ends by itself). Those only get bad credentials.
          const spoiler = op.path.endsWith('/events/stream') || op.path.endsWith('/auth/logout');
          const headers: Record<string, string> = { ...(spoiler ? { authorization: 'Bearer sk_live_nope', cookie: 'parley_session=nope' } : a), ...extra };
          if (body !== undefined && ct) headers['content-type'] = ct;
          return {
            method: op.method,
            url: query ? `${url}?${query}` : url,
            headers,
            payload: body,
            label: `${op.method} ${op.path}`,
          };
        }),
    );
    const request: fc.Arbitrary<FuzzRequest> = fc.oneof(...perOperation);

    const requests = fc.sample(request, { numRuns: runs, seed: SEED });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const perRoute = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++];
        perRoute.set(r.label, (perRoute.get(r.label) ?? 0) + 1);
        let res;
        try {
          res = await t.app.inject({ method: r.method as 'GET', url: r.url, headers: r.headers, payload: r.payload });
        } catch (err) {
          failures.push(`${r.label}: inject threw ${(err as Error).message}`);
          continue;
        }
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const describe = () =>
          `${res.statusCode} ${r.method} ${r.url.slice(0, 200)} ${JSON.stringify(r.headers).slice(0, 200)} body=${(r.payload ?? '').slice(0, 200)} -> ${res.body.slice(0, 300)}`;
        if (res.statusCode >= 500) {
          failures.push(describe());
          continue;
        }
        if (res.statusCode >= 300) {
          let body: unknown = null;
          try {
            body = res.json();
          } catch {
            // not JSON
          }
          if (!isErrorEnvelope(body) || !String(res.headers['content-type']).startsWith('application/json')) failures.push(`not an envelope: ${describe()}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Every route was exercised, and most requests were refused (they are meant to be bad).
    expect([...perRoute.keys()].length).toBe(ops.length);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(runs);
    expect(failures.slice(0, 30), `seed ${SEED}: ${failures.length} failures; statuses ${JSON.stringify([...statuses])}`).toEqual([]);

    // Healthy afterwards.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const contact = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: t.auth, payload: { email: 'after-fuzz@example.com' } });
    expect([200, 201]).toContain(contact.statusCode);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/contacts?limit=5', headers: t.auth });
    expect(list.statusCode).toBe(200);
  });
});
