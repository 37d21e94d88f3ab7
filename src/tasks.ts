import type { Services } from './services.js';
import { COMMIT_WAKE_DELAY_MS, type Task } from './shared/tasks/tasks.js';
import { createIdleEndingTask } from './modules/accounts/idle-ending.task.js';
import { createRetention } from './modules/retention/retention.js';
import { createRetentionTask } from './modules/retention/retention.task.js';
import { createAttachmentsPurgeTask } from './modules/attachments/attachments.task.js';
import { createAutomationsTask } from './modules/automations/automations.task.js';
import { createNotificationsTask } from './modules/notifications/notifications.task.js';
import { createSnoozeWakeTask } from './modules/conversations/conversations.wake.task.js';
import { createImapReceiver, createImapTask } from './modules/email/email.imap.js';
import { createEmailMailboxesRepository } from './modules/email/email.mailboxes.repository.js';
import { createExportsTask } from './modules/exports/exports.task.js';

/** Every background task, registered explicitly, in one list. */
export function createTasks(services: Services): Task[] {
  return [
    createIdleEndingTask({
      database: services.database,
      eventLog: services.eventLog,
      presentConversation: (accountId, id, trx) => services.conversations.presentStored(accountId, id, trx),
      summarize: (accountId, id, trx) => services.conversations.summarizeEnded(accountId, id, trx),
    }),
    {
      name: 'async-replies',
      intervalMs: 1000,
      run: () => services.replies.processPending(),
      // Woken by commits too, so a queued reply (an email's answer) starts within milliseconds;
      // a run that finds nothing pending reads one partial index.
      wake: (runSoon) => services.eventLog.subscribeAll(() => runSoon()),
      wakeDelayMs: COMMIT_WAKE_DELAY_MS,
    },
    // Deletes what workspaces keep no longer, and expired sessions, invitations and idempotency
    // records; once an hour across every process.
    createRetentionTask({
      db: services.database.db,
      retention: createRetention({
        database: services.database,
        eventLog: services.eventLog,
        erasure: services.erasure,
      }),
    }),
    createAttachmentsPurgeTask({ attachments: services.attachments }),
    createExportsTask({ worker: services.exportsWorker }),
    createSnoozeWakeTask({
      database: services.database,
      eventLog: services.eventLog,
      presentConversation: (accountId, id, trx) => services.conversations.presentStored(accountId, id, trx),
    }),
    {
      // Queues are served as changes commit; this catches what no change announces (a member whose
      // "online" lapsed and came back through another process, a pass that failed).
      name: 'auto-assignment',
      intervalMs: 15_000,
      run: () => services.assigner.sweep(services.database.db),
    },
    createAutomationsTask({ consumer: services.automationsConsumer, eventLog: services.eventLog }),
    createNotificationsTask({ consumer: services.notificationsConsumer, eventLog: services.eventLog }),
    {
      name: 'webhook-deliveries',
      intervalMs: 1000,
      run: (now) => services.webhookWorker.run(now),
      // Woken by every commit that appended events, so a delivery leaves within milliseconds
      // (commits within 10 ms of each other share one run).
      wake: (runSoon) => services.eventLog.subscribeAll(() => runSoon()),
      wakeDelayMs: COMMIT_WAKE_DELAY_MS,
    },
    {
      name: 'channel-deliveries',
      intervalMs: 1000,
      run: (now) => services.channelWorker.run(now),
      // Woken like webhook deliveries: a reply is queued in the commit that stores it.
      wake: (runSoon) => services.eventLog.subscribeAll(() => runSoon()),
      wakeDelayMs: COMMIT_WAKE_DELAY_MS,
    },
    // Reads the IMAP mailbox of each email channel that has one: connections stay open between
    // ticks (IDLE), and each tick matches them to the channels as they are now.
    createImapTask(
      createImapReceiver({
        mailboxes: createEmailMailboxesRepository({ db: services.database.db }),
        channels: services.repos.channels,
        receive: (channel, raw) => services.emailInbound.receiveRaw(channel, raw, 'imap'),
      }),
    ),
  ];
}
