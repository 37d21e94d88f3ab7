import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsAgentMember, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { createExportsRepository } from './exports.repository.js';
import { createExportsWorker, LINK_TTL_MS, MAX_ATTEMPTS } from './exports.worker.js';

interface ExportView {
  id: string;
  resource: string;
  format: string;
  filters: Record<string, string>;
  status: string;
  row_count: number;
  requested_by: { type: string; id: string | null };
  download_url: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  expires_at: string | null;
}

/** A minimal RFC 4180 reader, to read back what the export wrote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}

/** Issue 18: bulk exports written by a worker, fetched by a link that works for 24 hours. */
describe.each(DIALECTS)('bulk exports on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agent: TestSession;
  let conversations: string[];
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
    agent = await loginAsAgentMember(t, admin);
    dir = path.join(t.dataDir, 'exports');
    conversations = [];
    const texts = ['=1+1 is two?', 'Plain "quoted" text, with a comma', '+33 6 12 34 56 78', '@admin help\nsecond line'];
    for (const [i, text] of texts.entries()) {
      const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: `c${i}@example.com`, name: i === 0 ? '-Mallory' : `Contact ${i}` });
      const conversation = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id })).body.data.id;
      conversations.push(conversation);
      expect((await api(t, 'POST', `/api/v1/conversations/${conversation}/messages`, { content: text })).status).toBe(201);
    }
    await api(t, 'POST', `/api/v1/conversations/${conversations[0]}/messages`, { role: 'note', content: 'Internal only' }, admin.headers);
    await api(t, 'POST', `/api/v1/conversations/${conversations[1]}/tags`, { tag: 'vip' });
    await api(t, 'POST', `/api/v1/conversations/${conversations[3]}/end`, {});
  });
  afterAll(async () => t.close());

  const start = (body: unknown, headers: Record<string, string> = admin.headers) => api<{ data: { id: string; status: string } }>(t, 'POST', '/api/v1/exports', body, headers);
  const show = async (id: string, headers: Record<string, string> = admin.headers) => (await api<{ data: ExportView }>(t, 'GET', `/api/v1/exports/${id}`, undefined, headers)).body.data;
  const fetchFile = (url: string) => api(t, 'GET', url, undefined, {});
  /** Starts an export, runs the worker until it is done, and returns it with its file's text. */
  const exported = async (body: unknown, headers: Record<string, string> = admin.headers) => {
    const created = await start(body, headers);
    expect(created.status, created.text).toBe(202);
    await t.services.exportsWorker.run();
    const view = await show(created.body.data.id);
    expect(view.status).toBe('done');
    const file = await fetchFile(view.download_url!);
    expect(file.status, file.text).toBe(200);
    return { view, file };
  };

  it('refuses agents, strangers and bad input first, in plain words', async () => {
    for (const call of [
      () => start({ resource: 'messages', format: 'csv' }, agent.headers),
      () => api(t, 'GET', '/api/v1/exports', undefined, agent.headers),
    ]) {
      const res = await call();
      expect(res.status).toBe(403);
      expect(errorOf(res).message).toBe('Only admins can do this');
    }
    expect((await start({ resource: 'messages', format: 'csv' }, {})).status).toBe(401);
    for (const bad of [
      { resource: 'users', format: 'csv' },
      { resource: 'messages', format: 'xlsx' },
      { resource: 'messages' },
      { resource: 'messages', format: 'csv', extra: 1 },
      { resource: 'messages', format: 'csv', filters: { since: 'yesterday' } },
      { resource: 'messages', format: 'csv', filters: { status: 'open' } },
      { resource: 'messages', format: 'csv', filters: { agent_id: 'not-a-uuid' } },
      { resource: 'messages', format: 'csv', filters: { colour: 'red' } },
    ]) {
      const res = await start(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
    }
    const unknownAgent = '01890000-0000-7000-8000-000000000000';
    const cases: Array<[unknown, string]> = [
      [{ resource: 'contacts', format: 'csv', filters: { tag: 'vip' } }, 'filters.tag does not apply to contacts (only since and until do)'],
      [{ resource: 'messages', format: 'csv', filters: { since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' } }, 'filters.until must be later than since'],
      [{ resource: 'messages', format: 'csv', filters: { agent_id: unknownAgent } }, 'filters.agent_id is not an agent of this workspace'],
      [{ resource: 'conversations', format: 'ndjson', filters: { channel_id: unknownAgent } }, 'filters.channel_id is not a channel of this workspace'],
    ];
    for (const [body, message] of cases) {
      const res = await start(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(errorOf(res).message).toBe(message);
    }
    // Another workspace's agent is as unknown as one that never was.
    const stranger = await t.otherWorkspace();
    expect(errorOf(await start({ resource: 'messages', format: 'csv', filters: { agent_id: stranger.agentId } })).message).toBe('filters.agent_id is not an agent of this workspace');
    const mine = await start({ resource: 'contacts', format: 'csv' });
    expect(mine.status).toBe(202);
    expect((await api(t, 'GET', `/api/v1/exports/${mine.body.data.id}`, undefined, stranger.auth)).status).toBe(404);
    expect((await api<{ data: ExportView[] }>(t, 'GET', '/api/v1/exports', undefined, stranger.auth)).body.data).toEqual([]);
    // Not finished yet: the download answers 404 like any wrong link.
    expect((await fetchFile(`/api/v1/exports/${mine.body.data.id}/download?token=x`)).status).toBe(404);
    await t.services.exportsWorker.run();
    const done = await show(mine.body.data.id);
    const wrong = await fetchFile(`/api/v1/exports/${done.id}/download?token=${'A'.repeat(32)}`);
    expect(wrong.status).toBe(404);
    expect(errorOf(wrong).message).toBe('Export not found, or its link has expired');
    expect((await fetchFile(`/api/v1/exports/${done.id}/download`)).status).toBe(400);
  });

  it('answers 202 pending, then done with a link that needs no credentials', async () => {
    const created = await start({ resource: 'conversations', format: 'ndjson' });
    expect(created.status, created.text).toBe(202);
    expect(created.body).toEqual({ data: { id: expect.any(String), status: 'pending' } });
    const pending = await show(created.body.data.id);
    expect(pending).toMatchObject({ status: 'pending', row_count: 0, download_url: null, requested_by: { type: 'member', id: admin.member.id } });
    await t.services.exportsWorker.run();
    const done = await show(created.body.data.id);
    expect(done).toMatchObject({ status: 'done', row_count: 4, resource: 'conversations', format: 'ndjson', filters: {}, error: null });
    expect(done.download_url).toMatch(new RegExp(`^/api/v1/exports/${done.id}/download\\?token=[A-Za-z0-9_-]{32}$`));
    expect(Date.parse(done.expires_at!) - Date.parse(done.completed_at!)).toBe(LINK_TTL_MS);
    const listed = await api<{ data: ExportView[] }>(t, 'GET', '/api/v1/exports?limit=100');
    expect(listed.body.data[0]).toEqual(done);

    const file = await fetchFile(done.download_url!);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="parley-conversations-${done.created_at.slice(0, 10)}.ndjson"`);
    const lines = file.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; tags: string[] });
    expect(lines.map((l) => l.id)).toEqual([...conversations].sort());
    // Each line is the conversation as the API shows it.
    const one = await api<{ data: Record<string, unknown> }>(t, 'GET', `/api/v1/conversations/${conversations[1]}`);
    expect(lines.find((l) => l.id === conversations[1])).toEqual(one.body.data);
    // The finished file is all that is left in the folder.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(done.id))).toEqual([`${done.id}.ndjson`]);
  });

  it('writes CSV that a spreadsheet cannot run: quotes doubled, formulas defused', async () => {
    const { view, file } = await exported({ resource: 'messages', format: 'csv', filters: { status: 'active' } });
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...records] = parseCsv(file.text);
    expect(header).toEqual(['id', 'conversation_id', 'contact_id', 'created_at', 'role', 'author_type', 'author_id', 'author_name', 'content', 'status', 'modality', 'feedback_rating', 'feedback_comment', 'attachments']);
    expect(view.row_count).toBe(records.length);
    const contents = records.map((r) => r[header.indexOf('content')]);
    expect(contents).toContain("'=1+1 is two?");
    expect(contents).toContain('Plain "quoted" text, with a comma');
    expect(contents).toContain("'+33 6 12 34 56 78");
    // Ended conversations are filtered out; an admin's export holds notes.
    expect(contents).not.toContain("'@admin help\nsecond line");
    expect(contents).toContain('Internal only');
    expect(records.map((r) => r[header.indexOf('author_name')])).toContain("'-Mallory");
    for (const r of records) expect(r).toHaveLength(header.length);
  });

  it('filters by tag, status and time, and never gives an API key the notes', async () => {
    const tagged = await exported({ resource: 'messages', format: 'ndjson', filters: { tag: 'vip' } });
    const rows = tagged.file.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { conversation_id: string; role: string; content: string });
    expect(new Set(rows.map((r) => r.conversation_id))).toEqual(new Set([conversations[1]]));
    expect(rows.map((r) => r.role)).toEqual(['user', 'assistant']);

    const ended = await exported({ resource: 'conversations', format: 'csv', filters: { status: 'ended' } });
    expect(parseCsv(ended.file.text).slice(1).map((r) => r[0])).toEqual([conversations[3]]);

    const future = await exported({ resource: 'contacts', format: 'ndjson', filters: { since: new Date(Date.now() + 60_000).toISOString() } });
    expect(future.view.row_count).toBe(0);
    expect(future.file.text).toBe('');

    const byKey = await exported({ resource: 'messages', format: 'ndjson' }, t.auth);
    expect(byKey.view.requested_by.type).toBe('api_key');
    expect(byKey.file.text).not.toContain('Internal only');
    const all = await exported({ resource: 'messages', format: 'ndjson' });
    expect(all.view.row_count).toBe(byKey.view.row_count + 1);
  });

  it('resumes after a crash from its cursor, writing every row once', async () => {
    // Many small pages; the "crash" comes after page 3 was appended but before it was saved.
    for (let i = 0; i < 6; i++) await api(t, 'POST', `/api/v1/conversations/${conversations[2]}/messages`, { content: `more ${i}` });
    const repo = createExportsRepository({ db: t.database.db, dialect: t.database.dialect });
    let pages = 0;
    const crashing = createExportsWorker({
      database: t.database,
      exports: repo,
      dir,
      pageSize: 2,
      checkpointMs: 0,
      leaseMs: 60_000,
      onPage: () => {
        if (++pages === 3) throw new Error('the process died');
      },
    });
    const created = await start({ resource: 'messages', format: 'csv' });
    const id = created.body.data.id;
    await expect(crashing.run()).rejects.toThrow('the process died');
    const stuck = await show(id);
    expect(stuck).toMatchObject({ status: 'running', row_count: 4 });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(id))).toEqual([`${id}.1.part`]);

    // Another process (the restarted server) takes it over once the lease has run out.
    const restarted = createExportsWorker({ database: t.database, exports: repo, dir, pageSize: 2, checkpointMs: 0 });
    expect(await restarted.run()).toBe(0);
    await restarted.run(new Date(Date.now() + 61_000));
    const done = await show(id);
    expect(done.status).toBe('done');
    const resumed = (await fetchFile(done.download_url!)).text;
    const fresh = (await exported({ resource: 'messages', format: 'csv' })).file.text;
    expect(resumed).toBe(fresh);
    const ids = parseCsv(resumed).slice(1).map((r) => r[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(done.row_count).toBe(ids.length);
    // Every message of the workspace but system ones, each once, across pages that split conversations.
    const stored = await t.database.db.selectFrom('messages').select('id').where('account_id', '=', t.workspace.accountId).where('role', '!=', 'system').execute();
    expect(ids.map(Number).sort((x, y) => x - y)).toEqual(stored.map((r) => Number(r.id)).sort((x, y) => x - y));
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(id))).toEqual([`${id}.csv`]);
  });

  it('gives an export up as failed after five claims, and removes its partial file', async () => {
    const created = await start({ resource: 'contacts', format: 'ndjson' });
    const id = created.body.data.id;
    // As if five workers in a row had died holding it: its lease ran out on the fifth claim.
    const past = new Date(Date.now() - 1000).toISOString();
    await t.database.db.updateTable('exports').set({ status: 'running', attempts: MAX_ATTEMPTS, locked_until: past }).where('id', '=', id).execute();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${id}.${MAX_ATTEMPTS}.part`), 'partial');
    await t.services.exportsWorker.run();
    expect(await show(id)).toMatchObject({ status: 'failed', error: 'The export could not be written; start it again', download_url: null });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(id))).toEqual([]);
  });

  it('deletes the file when the link expires, and the link stops working', async () => {
    const { view } = await exported({ resource: 'contacts', format: 'csv' });
    const file = path.join(dir, `${view.id}.csv`);
    expect(fs.existsSync(file)).toBe(true);
    await t.services.exportsWorker.run(new Date(Date.now() + LINK_TTL_MS - 60_000));
    expect(fs.existsSync(file)).toBe(true);
    expect(await t.services.exportsWorker.run(new Date(Date.now() + LINK_TTL_MS + 1000))).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(file)).toBe(false);
    expect(await show(view.id)).toMatchObject({ status: 'expired', download_url: null });
    expect((await fetchFile(view.download_url!)).status).toBe(404);
  });

  it('writes at most three exports of a workspace at once (409 beyond)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await start({ resource: 'contacts', format: 'ndjson' })).body.data.id);
    const refused = await start({ resource: 'contacts', format: 'ndjson' });
    expect(refused.status).toBe(409);
    expect(errorOf(refused).message).toBe('3 exports are already being written for this workspace; try again when one has finished');
    await t.services.exportsWorker.run();
    for (const id of ids) expect((await show(id)).status).toBe('done');
    expect((await start({ resource: 'contacts', format: 'ndjson' })).status).toBe(202);
    await t.services.exportsWorker.run();
  });

  it('ends the links of finished exports when a contact or a conversation is erased', async () => {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'erase-me@example.com', name: 'Erin Erased' });
    const conversation = (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id })).body.data.id;
    await api(t, 'POST', `/api/v1/conversations/${conversation}/messages`, { content: 'IBAN DE89 3704 0044 0532 0130 00' });
    for (const erase of [
      () => api(t, 'DELETE', `/api/v1/conversations/${conversation}`, undefined, admin.headers),
      () => api(t, 'DELETE', `/api/v1/contacts/${contact.body.data.id}`, undefined, admin.headers),
    ]) {
      const { view, file } = await exported({ resource: 'contacts', format: 'ndjson' });
      expect(file.text).toContain('erase-me@example.com');
      expect((await erase()).status).toBe(204);
      // The link ends with the erasure's commit; the worker deletes the file on its next run.
      expect((await fetchFile(view.download_url!)).status).toBe(404);
      await t.services.exportsWorker.run();
      expect(fs.readdirSync(dir).filter((f) => f.startsWith(view.id))).toEqual([]);
      expect(await show(view.id)).toMatchObject({ status: 'expired', download_url: null });
    }
    // An export made after the erasure works as before.
    const after = await exported({ resource: 'contacts', format: 'ndjson' });
    expect(after.file.text).not.toContain('erase-me@example.com');
  });
});
