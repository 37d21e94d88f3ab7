import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ensureWidgetBuild } from './build.js';

/** Issue 14's budget: every page of a business's site loads the loader; every chat loads the frame. */
describe('the widget size budget', () => {
  it('keeps widget.js within 4 KB and the frame’s JavaScript within 60 KB, gzipped', () => {
    ensureWidgetBuild();
    const res = spawnSync(process.execPath, ['scripts/widget-size.mjs'], { encoding: 'utf8' });
    console.log(res.stdout.trim());
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/widget\.js \(loader\)\s+[\d.]+ KB gzipped\s+budget 4\.00 KB\s+ok/);
    expect(res.stdout).toMatch(/frame JavaScript .*budget 60\.00 KB\s+ok/);
    expect(res.status).toBe(0);
  });
});
