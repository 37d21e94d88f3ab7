import { Dialog } from './Dialog';
import { SHORTCUTS } from './shortcuts';

/** The `?` map: every key the inbox answers to. */
export function KeyboardMap({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} className="keyboard-map">
      <dl className="key-list">
        {SHORTCUTS.map((s) => (
          <div key={s.keys.join('+')} className="key-row">
            <dt>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && (s.keys[0] === 'Ctrl' ? ' + ' : ' / ')}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{s.what}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
