// The widget's size budget (issue 14): the loader every page of a business's site downloads, and
// all the JavaScript the chat frame loads. Prints both sizes gzipped; exits 1 when either is over.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const LOADER_BUDGET = 4 * 1024;
export const FRAME_BUDGET = 60 * 1024;

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The gzipped sizes (bytes) of widget/dist's loader and of all the frame's JavaScript. */
export function measureWidget(dist = path.join(root, 'widget', 'dist')) {
  const gz = (file) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const loader = gz(path.join(dist, 'widget.js'));
  const assets = path.join(dist, 'assets');
  const scripts = fs.existsSync(assets) ? fs.readdirSync(assets).filter((f) => f.endsWith('.js')) : [];
  if (!scripts.length) throw new Error(`no frame JavaScript in ${assets}: run npm run build:widget`);
  const frame = scripts.reduce((sum, f) => sum + gz(path.join(assets, f)), 0);
  return { loader, frame, frameFiles: scripts.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { loader, frame, frameFiles } = measureWidget();
  const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
  const row = (name, size, budget) => `${name.padEnd(28)} ${kb(size).padStart(10)} gzipped   budget ${kb(budget)}   ${size <= budget ? 'ok' : 'OVER'}`;
  console.log(row('widget.js (loader)', loader, LOADER_BUDGET));
  console.log(row(`frame JavaScript (${frameFiles} file${frameFiles === 1 ? '' : 's'})`, frame, FRAME_BUDGET));
  if (loader > LOADER_BUDGET || frame > FRAME_BUDGET) {
    console.error('widget: over the size budget');
    process.exit(1);
  }
}
