/** An envelope: the email channel, wherever a conversation's channel is shown. */
export function MailIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="mail-icon">
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="m3 7 9 6 9-6" />
    </svg>
  );
}

/** Under an email conversation's subject: that it is email, through which channel, and the contact's address. */
export function EmailChannelLine({ channelName, address }: { channelName: string; address: string | null }) {
  return (
    <p className="conversation-channel" data-channel="email">
      <span className="channel-kind" title={`Email, through ${channelName}`}>
        <MailIcon />
        Email
      </span>
      {address ? (
        <span className="channel-address" title="The contact's address: replies go there">
          {address}
        </span>
      ) : (
        <span className="muted">no address known</span>
      )}
    </p>
  );
}
