import type { Executor } from '../../shared/db/database.js';
import type { ChannelRow } from '../channels/channels.repository.js';
import type { EmailMailboxRow } from './email.repository.js';

/**
 * How far each email channel's IMAP mailbox has been imported (UIDVALIDITY and the last UID), and
 * the lease that lets one process at a time read it: `locked_by` names the process, `locked_until`
 * is when its claim lapses unless renewed.
 */
export function createEmailMailboxesRepository({ db }: { db: Executor }) {
  return {
    /** Every active email channel, in every workspace (the IMAP reader picks those with `imap`). */
    activeEmailChannels(): Promise<ChannelRow[]> {
      return db.selectFrom('channels').selectAll().where('type', '=', 'email').where('active', '=', 1).orderBy('created_at').orderBy('id').execute();
    },

    find(channelId: string): Promise<EmailMailboxRow | undefined> {
      return db.selectFrom('email_mailboxes').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    },

    /** Creates the channel's row, with nothing imported yet, unless it has one. */
    async ensure(row: { channel_id: string; account_id: string; mailbox: string }, now: string): Promise<void> {
      await db
        .insertInto('email_mailboxes')
        .values({ ...row, uidvalidity: null, last_uid: 0, locked_by: null, locked_until: null, updated_at: now })
        .onConflict((oc) => oc.column('channel_id').doNothing())
        .execute();
    },

    /**
     * Takes or renews the lease: granted when nobody holds it, when it has lapsed, or when `owner`
     * already holds it. One statement, so two processes asking at once never both get it.
     */
    async lease(channelId: string, owner: string, now: string, until: string): Promise<boolean> {
      const result = await db
        .updateTable('email_mailboxes')
        .set({ locked_by: owner, locked_until: until })
        .where('channel_id', '=', channelId)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now), eb('locked_by', '=', owner)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /**
     * Records the import's progress (and renews the lease), only while `owner` holds the lease:
     * false when another process has taken it since.
     */
    async advance(
      channelId: string,
      owner: string,
      position: { mailbox: string; uidvalidity: string | null; last_uid: number },
      now: string,
      until: string,
    ): Promise<boolean> {
      const result = await db
        .updateTable('email_mailboxes')
        .set({ ...position, locked_until: until, updated_at: now })
        .where('channel_id', '=', channelId)
        .where('locked_by', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Gives the lease up, so another process may read the mailbox at once. */
    async release(channelId: string, owner: string): Promise<void> {
      await db.updateTable('email_mailboxes').set({ locked_by: null, locked_until: null }).where('channel_id', '=', channelId).where('locked_by', '=', owner).execute();
    },

    /** Forgets the mailboxes of deleted channels. */
    async removeOrphans(): Promise<number> {
      const result = await db
        .deleteFrom('email_mailboxes')
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('channels').select('id').whereRef('channels.id', '=', 'email_mailboxes.channel_id'))))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type EmailMailboxesRepository = ReturnType<typeof createEmailMailboxesRepository>;
