import { useState } from 'react';
import { desktopSupported, playChime, unlockSound } from './alerts';
import { usePref } from './prefs';

type Permission = NotificationPermission | 'unsupported';
const permissionNow = (): Permission => (desktopSupported() ? Notification.permission : 'unsupported');

/** The bell's own settings for this browser: a chime, and desktop notifications (asked for on a click only). */
export function BellSettings() {
  const [sound, setSound] = usePref('sound');
  const [desktop, setDesktop] = usePref('desktop');
  const [permission, setPermission] = useState<Permission>(permissionNow);

  const enableDesktop = async () => {
    // The browser asks the member here, on their click, never on load.
    const answer = await Notification.requestPermission();
    setPermission(answer);
    setDesktop(answer === 'granted');
  };

  return (
    <footer className="bell-settings">
      <label className="bell-setting">
        <input
          type="checkbox"
          checked={sound}
          onChange={(e) => {
            setSound(e.target.checked);
            if (e.target.checked) {
              unlockSound();
              playChime();
            }
          }}
        />
        Play a sound for new notifications
      </label>
      {permission === 'unsupported' ? null : permission === 'denied' ? (
        <p className="bell-setting muted">Desktop notifications are blocked for this site in the browser’s settings.</p>
      ) : desktop && permission === 'granted' ? (
        <p className="bell-setting">
          Desktop notifications are on while this tab is in the background.{' '}
          <button type="button" className="bell-link-button" onClick={() => setDesktop(false)}>
            Turn off
          </button>
        </p>
      ) : (
        <button type="button" className="btn bell-desktop" onClick={() => void enableDesktop()}>
          Enable desktop notifications
        </button>
      )}
    </footer>
  );
}
