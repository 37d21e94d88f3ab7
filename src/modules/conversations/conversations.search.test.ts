import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { toListArgs } from './conversations.queries.js';
import { createConversationsRepository } from './conversations.repository.js';

type Many = { data: Array<{ id: string; title: string | null }>; pagination: { cursor: string | null; has_more: boolean } };

/**
 * The conversation search (q=) on a list larger than its pages: on SQLite it first checks the
 * next conversations of the list one by one and asks the trigram / full-text indexes only when
 * those do not fill the page; both ways must give the same answer as a plain scan would.
 */
describe.each(DIALECTS)('conversation search on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let contactId: number;
  const start = async (body: Record<string, unknown> = {}, contact = contactId) =>
    (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact, ...body })).body.data.id;
  const search = async (q: string, extra = '') => {
    const res = await api<Many>(t, 'GET', `/api/v1/conversations?limit=100&q=${encodeURIComponent(q)}${extra}`);
    expect(res.status).toBe(200);
    return res.body.data.map((c) => c.id);
  };
  /** Every page of a search, following the cursors. */
  const pages = async (q: string, limit: number, extra = '') => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: Many } = await api<Many>(
        t,
        'GET',
        `/api/v1/conversations?limit=${limit}&q=${encodeURIComponent(q)}${extra}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((c) => c.id));
      cursor = res.body.pagination.has_more ? res.body.pagination.cursor : null;
    } while (cursor);
    return seen;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    contactId = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'ines@example.com', name: 'Inès Lindqvist' }))
      .body.data.id;
  });
  afterAll(async () => t.close());

  it('pages through many matches among other conversations: each once, newest first, as one big page', async () => {
    const lanterns: string[] = [];
    for (let i = 0; i < 9; i++) {
      lanterns.push(await start({ title: `Lantern order ${i}` }));
      await start({ title: `Unrelated ${i}` });
    }
    const all = await search('lantern');
    expect(new Set(all)).toEqual(new Set(lanterns));
    expect(all).toEqual([...lanterns].reverse());
    expect(await pages('lantern', 2)).toEqual(all);
    expect(await pages('lantern', 4, '&order=asc')).toEqual([...all].reverse());
  });

  it('finds matches beyond the conversations it checks one by one, with the same pages', async () => {
    // A repository that checks only 3 conversations before asking the indexes: the answer must
    // not change, whichever way each page was found.
    const narrow = createConversationsRepository({ db: t.database.db, dialect, searchWindow: 3 });
    const wide = createConversationsRepository({ db: t.database.db, dialect });
    const old = await start({ title: 'Quokka enquiry' });
    for (let i = 0; i < 6; i++) await start({ title: `Filler ${i}` });
    const recent = await start();
    await api(t, 'PATCH', `/api/v1/conversations/${recent}`, { summary: 'the quokka again' });
    const { filters, options } = toListArgs({ q: 'quokka', limit: 1 });
    for (const repo of [narrow, wide]) {
      const first = await repo.list(t.workspace.accountId, filters, options);
      expect(first.map((c) => c.id)).toEqual([recent, old]); // the page and one more (has_more)
      const after = await repo.list(t.workspace.accountId, filters, { ...options, after: [first[0].created_at, first[0].id] });
      expect(after.map((c) => c.id)).toEqual([old]);
    }
  });

  it('keeps up with renamed titles and contacts, and forgets deleted conversations', async () => {
    const id = await start({ title: 'Marigold seeds' });
    expect(await search('marigold')).toEqual([id]);
    await api(t, 'PATCH', `/api/v1/conversations/${id}`, { title: 'Sunflower seeds' });
    expect(await search('marigold')).toEqual([]);
    expect(await search('sunflower')).toEqual([id]);

    const contact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'p@example.org', name: 'Pemberton' })).body
      .data.id;
    const theirs = await start({}, contact);
    expect(await search('pemberton')).toEqual([theirs]);
    await api(t, 'PATCH', `/api/v1/contacts/${contact}`, { name: 'Featherstonehaugh', phone: '+1 555 0199 77' });
    expect(await search('pemberton')).toEqual([]);
    expect(await search('featherstone')).toEqual([theirs]);
    expect(await search('0199 77')).toEqual([theirs]);

    const goneContact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'w@example.org' })).body.data.id;
    const gone = await start({ title: 'Wisteria trellis' }, goneContact);
    expect(await search('wisteria')).toEqual([gone]);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${goneContact}/conversations`)).status).toBe(204);
    expect(await search('wisteria')).toEqual([]);
    expect((await api(t, 'DELETE', `/api/v1/contacts/${contact}`, undefined, admin.headers)).status).toBe(204);
    expect(await search('featherstone')).toEqual([]);
    if (dialect === 'sqlite') {
      // No index entry outlives its conversation (the text table is kept by triggers).
      const { rows } = await sql<{ n: number }>`select count(*) as n from conversation_texts t
        where not exists (select 1 from conversations c where c.id = t.conversation_id)`.execute(t.database.db);
      expect(rows[0].n).toBe(0);
    }
  });

  it('matches short, quoted and wildcard-looking searches literally, case-insensitively', async () => {
    const short = await start({ title: 'Q7 gearbox' });
    const percent = await start({ title: 'Save 50% today' });
    const fifty = await start({ title: 'Save 500 today' });
    const quoted = await start({ title: 'The "deluxe" kettle' });
    expect(await search('q7')).toEqual([short]);
    expect(await search('50%')).toEqual([percent]);
    expect(new Set(await search('save 50'))).toEqual(new Set([percent, fifty]));
    expect(await search('"DELUXE" kettle')).toEqual([quoted]);
    expect(await search('5_0')).toEqual([]);
    expect(await search('lindqvist')).toEqual(expect.arrayContaining([short, percent, fifty, quoted]));
  });

  it('combines the search with the other filters and keeps other accounts out', async () => {
    const other = await t.otherWorkspace();
    const otherContact = (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'x@example.net' }, other.auth)).body.data.id;
    await api(t, 'POST', '/api/v1/conversations', { contact_id: otherContact, title: 'Tamarind chutney' }, other.auth);
    const mine = await start({ title: 'Tamarind paste' });
    const ended = await start({ title: 'Tamarind sauce' });
    await api(t, 'POST', `/api/v1/conversations/${ended}/end`, {});
    expect(new Set(await search('tamarind'))).toEqual(new Set([mine, ended]));
    expect(await search('tamarind', '&status=active')).toEqual([mine]);
    expect(await search('tamarind', '&status=ended')).toEqual([ended]);
  });
});
