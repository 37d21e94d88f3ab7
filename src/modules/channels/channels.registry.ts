import { normalizeEmailConfig, presentEmailConfig } from '../email/email.config.js';
import type { ChannelAdapter, OutboundMessage, SentMessage } from './channels.adapters.js';
import type { ChannelType } from './channels.schemas.js';

export interface ChannelRegistryDeps {
  /** Sends an email channel's messages (email.sender.ts). */
  email: { send(outbound: OutboundMessage): Promise<SentMessage>; close(): Promise<void> };
}

/**
 * Every channel that does something, registered explicitly in one list. `api` and `web_widget`
 * send nothing themselves (integrations read the API and webhooks, visitors their stream) and keep
 * their config as it is (a widget's is checked with its agent, in the channels use cases); `email`
 * checks its settings, hides its passwords and sends by SMTP. Types without an adapter (sms,
 * whatsapp, voice) are records only, until theirs is added here.
 */
export function createChannelRegistry({ email }: ChannelRegistryDeps) {
  const adapters: ChannelAdapter[] = [
    { type: 'api' },
    { type: 'web_widget' },
    {
      type: 'email',
      normalizeConfig: normalizeEmailConfig,
      presentConfig: presentEmailConfig,
      send: (outbound) => email.send(outbound),
    },
  ];
  const byType = new Map(adapters.map((a) => [a.type, a]));
  return {
    adapters,
    /** The adapter of a channel type; undefined for a type that is only a record. */
    adapterOf(type: ChannelType): ChannelAdapter | undefined {
      return byType.get(type);
    },
    /** Closes what the senders keep open (SMTP connections). */
    async close(): Promise<void> {
      await email.close();
    },
  };
}

export type ChannelRegistry = ReturnType<typeof createChannelRegistry>;
