import type { AppNotification } from './queries';

let audio: AudioContext | null = null;

/**
 * Makes sound possible: browsers only let a page play audio after the member interacted with it,
 * so the context is created (or resumed) on the click that turns the sound on.
 */
export function unlockSound(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null;
  }
}

/** A short, soft two-note chime, made on the spot (no sound file to download). */
export function playChime(): void {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume();
    const start = ctx.currentTime + 0.01;
    [880, 1175].forEach((frequency, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const t = start + i * 0.12;
      osc.type = 'sine';
      osc.frequency.setValueAtTime(frequency, t);
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.18, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.28);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.3);
    });
  } catch {
    // No audio in this browser: the badge and the title still say it.
  }
}

export const desktopSupported = (): boolean => typeof window !== 'undefined' && 'Notification' in window;

/** One line saying what happened, as the bell and desktop notifications word it. */
export function headline(n: AppNotification): string {
  const who = n.actor_name;
  switch (n.kind) {
    case 'assigned':
      return who ? `${who} assigned you a conversation` : 'A conversation was assigned to you';
    case 'team_handoff':
      return who ? `${who} handed a conversation to your team` : 'A conversation was handed to your team';
    case 'message':
      return who ? `New message from ${who}` : 'New message from the contact';
    case 'mention':
      return who ? `${who} mentioned you in a note` : 'You were mentioned in a note';
    case 'snooze_ended':
      return 'A snoozed conversation is back';
  }
}

/** A desktop notification for one of the member's; a click brings the inbox back, on that conversation. */
export function showDesktop(n: AppNotification, open: (conversationId: string) => void): void {
  if (!desktopSupported() || Notification.permission !== 'granted') return;
  try {
    const body = [n.conversation_title, n.preview].filter(Boolean).join(' — ');
    const shown = new Notification(headline(n), { body, tag: n.id, icon: '/favicon.svg' });
    shown.onclick = () => {
      window.focus();
      if (n.conversation_id) open(n.conversation_id);
      shown.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: the tab title still counts.
  }
}
