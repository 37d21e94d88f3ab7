#!/usr/bin/env node
// Runs Parley. `npm install` compiles src/ to dist/ (the `prepare` script), which starts fast;
// when dist/ is missing or older than the sources (a developer editing src/), the TypeScript
// sources run directly through tsx's loader instead, so `npx parley` always runs what is in src/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  try {
    const built = fs.statSync(path.join(root, 'dist', '.built')).mtimeMs;
    return built >= newestMtime(path.join(root, 'src'));
  } catch {
    return false;
  }
}

let main;
if (process.env.PARLEY_FROM_SOURCE !== '1' && compiledIsFresh()) {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
