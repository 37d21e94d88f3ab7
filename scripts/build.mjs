// Compiles src/ to dist/ for a fast start (`npm install` runs this through `prepare`). Type errors
// are reported but do not stop the install: `npm run typecheck` is the gate for those, and a user
// installing Parley should still get a server that starts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!fs.existsSync(tsc)) {
  console.log('parley: TypeScript is not installed (production install?); Parley will run from src/ through tsx.');
  process.exit(0);
}
const res = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (res.status !== 0) console.log('parley: TypeScript reported errors (run `npm run typecheck`); the build was emitted anyway.');
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
fs.writeFileSync(path.join(root, 'dist', '.built'), new Date().toISOString());
