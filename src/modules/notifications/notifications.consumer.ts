import type { Database } from '../../shared/db/database.js';
import { uuidv7 } from '../../shared/ids.js';
import { createLogConsumer } from '../events/events.checkpoint.js';
import type { EventRow, EventsRepository } from '../events/events.repository.js';
import type { NotificationsRepository } from './notifications.repository.js';
import { createNotificationRules, NOTIFYING_EVENTS, type Planned } from './notifications.rules.js';

/** The consumer's name in `event_consumers`. */
export const NOTIFICATIONS_CONSUMER = 'notifications';
const BATCH_SIZE = 200;
/**
 * Events older than this tell of nothing anyone needs a bell for: the first run over an existing
 * log (an upgrade) does not bury every member under months of history; a catch-up after a restart
 * still tells everything.
 */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Makes members' notifications from the event log, after commit (issue 16): reads the events after
 * its checkpoint and stores what each member is to be told. Delivery is at least once (a batch
 * that fails is read again); the unique (member, event, kind) row makes it exactly once in effect.
 */
export function createNotificationsConsumer({
  database,
  events,
  notifications,
}: {
  database: Database;
  events: EventsRepository;
  notifications: NotificationsRepository;
}) {
  const rules = createNotificationRules(notifications);

  /** Stores one; returns 1 when it added or refreshed a notification. */
  async function store(row: EventRow, p: Planned): Promise<number> {
    if (p.kind === 'message' && p.conversationId) {
      // A conversation that keeps talking is one unread notification, kept up to date, not a pile.
      const latest = await notifications.findLatest(row.account_id, p.memberId, 'message', p.conversationId);
      // Events are handled in order: one told of a later event already covers this one (a rerun).
      if (latest && latest.event_id >= row.id) return 0;
      if (latest && latest.read_at === null) {
        await notifications.refresh(latest.id, { event_id: row.id, actor_name: p.actorName, preview: p.preview, created_at: row.created_at });
        return 1;
      }
    }
    const added = await notifications.insert({
      id: uuidv7(),
      account_id: row.account_id,
      member_id: p.memberId,
      kind: p.kind,
      conversation_id: p.conversationId,
      event_id: row.id,
      actor_name: p.actorName,
      preview: p.preview,
      created_at: row.created_at,
      read_at: null,
    });
    return added ? 1 : 0;
  }

  /** Stores what a batch of events tells; returns how many notifications it stored or refreshed. */
  return createLogConsumer({
    database,
    name: NOTIFICATIONS_CONSUMER,
    events,
    batchSize: BATCH_SIZE,
    async handle(rows) {
      let stored = 0;
      const since = new Date(Date.now() - STALE_AFTER_MS).toISOString();
      for (const row of rows) {
        if (!NOTIFYING_EVENTS.has(row.type) || row.created_at < since) continue;
        for (const p of await rules.plan(row)) stored += await store(row, p);
      }
      return stored;
    },
  });
}

export type NotificationsConsumer = ReturnType<typeof createNotificationsConsumer>;
