import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** The built widget must exist for the server to serve it; `npm install` builds it, this covers a bare checkout. */
export function ensureWidgetBuild(): void {
  const dist = path.resolve('widget/dist');
  if (fs.existsSync(path.join(dist, 'widget.js')) && fs.existsSync(path.join(dist, 'frame.html'))) return;
  const res = spawnSync('npm', ['run', 'build:widget'], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('npm run build:widget failed');
}
