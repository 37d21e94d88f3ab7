import type { Task } from '../../shared/tasks/tasks.js';
import type { AttachmentsUseCases } from './attachments.usecases.js';

/** Deletes uploads that no message took within 24 hours (rows, then bytes). */
export function createAttachmentsPurgeTask({
  attachments,
  intervalMs = 15 * 60_000,
}: {
  attachments: Pick<AttachmentsUseCases, 'purgeUnattached'>;
  intervalMs?: number;
}): Task {
  return {
    name: 'attachments-purge',
    intervalMs,
    run: (now?: Date) => attachments.purgeUnattached(now),
  };
}
