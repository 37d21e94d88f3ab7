import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, holdTransaction, sleep, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { deliveriesOf } from '../../../test/webhooks.js';

// Receivers in tests live on loopback; nothing is sent here (no worker runs), deliveries stay queued.
process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';

async function createEndpoint(t: TestApp, path: string): Promise<string> {
  const res = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/webhooks', { url: `http://127.0.0.1:9/${path}`, events: ['*'] });
  expect(res.status, res.text).toBe(201);
  return res.body.data.id;
}

/** Deliveries whose endpoint is gone; the foreign key forbids them, so always none. */
async function orphanDeliveries(t: TestApp): Promise<unknown[]> {
  return t.database.db
    .selectFrom('webhook_deliveries')
    .select('webhook_deliveries.id')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('webhook_endpoints').select('id').whereRef('webhook_endpoints.id', '=', 'webhook_deliveries.endpoint_id'))),
    )
    .execute();
}

/**
 * Holds a transaction that has deleted the endpoint open until the returned `commit` is called:
 * a deletion under way while another request writes (PostgreSQL; SQLite serialises writers).
 */
function holdDeletion(t: TestApp, id: string): Promise<{ commit: () => Promise<void> }> {
  return holdTransaction(t.database, (trx) =>
    trx.deleteFrom('webhook_endpoints').where('account_id', '=', t.workspace.accountId).where('id', '=', id).execute(),
  );
}

/**
 * Every write that appends events queues deliveries in its own transaction. An endpoint deleted
 * meanwhile must simply get none: the write (a contact here) is not about webhooks and succeeds.
 */
describe.each(DIALECTS.filter((d) => d === 'postgres'))('a write racing the deletion of a webhook endpoint on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('waits for the deleting transaction, then answers 201 with a delivery for the surviving endpoint only', async () => {
    const doomed = await createEndpoint(t, 'doomed');
    const kept = await createEndpoint(t, 'kept');
    const deletion = await holdDeletion(t, doomed);
    const creating = api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { email: 'held@example.com' });
    await sleep(300);
    await deletion.commit();
    const res = await creating;
    expect(res.status, res.text).toBe(201);

    const deliveries = await t.database.db.selectFrom('webhook_deliveries').select(['endpoint_id', 'event_type', 'payload']).execute();
    const forContact = deliveries.filter((d) => d.event_type === 'contact.created' && d.payload.includes('held@example.com'));
    expect(forContact.map((d) => d.endpoint_id)).toEqual([kept]);
    expect(await orphanDeliveries(t)).toEqual([]);
  });

  it('answers a test event sent during the deletion with the webhook’s own 409, not a failed foreign key', async () => {
    const doomed = await createEndpoint(t, 'doomed-test');
    const deletion = await holdDeletion(t, doomed);
    // Loads the endpoint (the deletion is not committed, so it is still there), then queues the test event.
    const sending = api(t, 'POST', `/api/v1/webhooks/${doomed}/test`);
    await sleep(300);
    await deletion.commit();
    const res = await sending;
    expect(res.status, res.text).toBe(409);
    expect(errorOf(res).message).toBe('The webhook changed while the test was being sent; try again');
    expect(await orphanDeliveries(t)).toEqual([]);
  });

  it('refuses an automation’s delivery to an endpoint deleted meanwhile with NOT_FOUND', async () => {
    const doomed = await createEndpoint(t, 'doomed-enqueue');
    const deletion = await holdDeletion(t, doomed);
    const event = { id: 1, type: 'contact.created', created_at: new Date().toISOString(), data: {} };
    const enqueuing = t.services.webhookOutbox.enqueue(t.database.db, t.workspace.accountId, doomed, event);
    const outcome = enqueuing.then(
      () => 'queued',
      (err: unknown) => (err as { code?: string }).code,
    );
    await sleep(300);
    await deletion.commit();
    expect(await outcome).toBe('NOT_FOUND');
    expect(await orphanDeliveries(t)).toEqual([]);
  });
});

describe.each(DIALECTS)('contacts created while webhook endpoints are deleted on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('answers every write 2xx, and the surviving endpoint gets a delivery for each contact', async () => {
    const kept = await createEndpoint(t, 'kept');
    for (let round = 0; round < 6; round++) {
      const doomed = await Promise.all([createEndpoint(t, `a-${round}`), createEndpoint(t, `b-${round}`)]);
      const create = (i: number) => api(t, 'POST', '/api/v1/contacts', { email: `race-${round}-${i}@example.com` });
      const remove = (id: string) => api(t, 'DELETE', `/api/v1/webhooks/${id}`);
      const results = await Promise.all([
        create(0),
        create(1),
        sleep(round).then(() => remove(doomed[0])),
        create(2),
        create(3),
        sleep(round).then(() => remove(doomed[1])),
        create(4),
        create(5),
      ]);
      for (const r of results) expect([201, 204], r.text).toContain(r.status);
      const left = await t.database.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', 'in', doomed).execute();
      expect(left).toEqual([]);
    }
    expect(await orphanDeliveries(t)).toEqual([]);
    const contactDeliveries = (await deliveriesOf(t, kept)).filter((d) => d.event_type === 'contact.created');
    expect(contactDeliveries).toHaveLength(6 * 6);
  });
});
