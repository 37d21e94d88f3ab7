import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../shared/http/error-handler.js';
import { FRAME_CSP, registerWidgetAssets } from './widget.assets.js';

const KEYS: Record<string, string[]> = {
  pk_live_shoponly: ['https://shop.example', 'http://127.0.0.1:8080'],
  pk_live_anywhere: [],
  pk_live_hostile: ["https://ok.example; script-src 'unsafe-inline'", 'https://ok.example'],
  pk_live_nothingleft: ['*'],
};
const SNIPPET = '<script async src="http://parley.test/widget.js" data-key="pk_live_demo"></script>';

/** The widget's files are served next to the API with the headers that keep the chat safe. */
describe('the chat widget served by Parley', () => {
  let dir: string;
  let built: FastifyInstance;
  let unbuilt: FastifyInstance;
  const origins: string[] = [];
  const make = async (dist: string, withDemo = true) => {
    const app = Fastify();
    registerErrorHandling(app);
    registerWidgetAssets(
      app,
      {
        frameAncestors: async (key) => KEYS[key] ?? null,
        demoSnippet: async (origin) => {
          origins.push(origin);
          return withDemo ? SNIPPET : null;
        },
      },
      dist,
    );
    await app.ready();
    return app;
  };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-widget-'));
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'widget.js'), '(function(){})();');
    fs.writeFileSync(path.join(dist, 'frame.html'), '<!doctype html><title>frame</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'frame-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dist, 'assets', 'frame-abc123.css'), 'body{}');
    fs.writeFileSync(path.join(dir, 'secret.js'), 'TOP-SECRET-CONTENT');
    built = await make(dist);
    unbuilt = await make(path.join(dir, 'missing'));
  });
  afterAll(async () => {
    await built?.close();
    await unbuilt?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the loader as JavaScript any site may load, cached for five minutes', async () => {
    const res = await built.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.body).toBe('(function(){})();');
  });

  it('lets only the channel’s allowed origins frame the chat, under the frame’s own strict policy', async () => {
    const res = await built.inject({ method: 'GET', url: '/widget/frame?key=pk_live_shoponly' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<title>frame</title>');
    expect(res.headers['content-security-policy']).toBe(`${FRAME_CSP}; frame-ancestors https://shop.example http://127.0.0.1:8080`);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(FRAME_CSP).toContain("script-src 'self'");
    expect(FRAME_CSP).toContain("connect-src 'self'");
    expect(FRAME_CSP).toContain("form-action 'none'");
    expect(FRAME_CSP).toContain("base-uri 'none'");
  });

  it('lets any site frame the chat of a channel with no allowed origins', async () => {
    const res = await built.inject({ method: 'GET', url: '/widget/frame?key=pk_live_anywhere' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe(FRAME_CSP);
    expect(res.headers['content-security-policy']).not.toContain('frame-ancestors');
  });

  it('never lets a stored origin change the policy, and never widens a list to any origin', async () => {
    const hostile = await built.inject({ method: 'GET', url: '/widget/frame?key=pk_live_hostile' });
    expect(hostile.headers['content-security-policy']).toBe(`${FRAME_CSP}; frame-ancestors https://ok.example`);
    const none = await built.inject({ method: 'GET', url: '/widget/frame?key=pk_live_nothingleft' });
    expect(none.headers['content-security-policy']).toBe(`${FRAME_CSP}; frame-ancestors 'none'`);
  });

  it('answers an unknown or missing key with a 404 page', async () => {
    for (const url of ['/widget/frame?key=pk_live_unknown', '/widget/frame', '/widget/frame?key=']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('Chat not available');
    }
  });

  it('serves the frame’s hashed assets for a year, and nothing outside them', async () => {
    const js = await built.inject({ method: 'GET', url: '/widget/assets/frame-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await built.inject({ method: 'GET', url: '/widget/assets/frame-abc123.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const url of ['/widget/assets/gone.js', '/widget/assets/../secret.js', '/widget/assets/%2e%2e%2fsecret.js', '/widget/assets/..%2F..%2Fsecret.js', '/widget/assets/frame-abc123.exe', '/widget/assets/']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('TOP-SECRET-CONTENT');
    }
  });

  it('shows the demo shop with the demo channel’s snippet, for the address it was asked at', async () => {
    origins.length = 0;
    const res = await built.inject({ method: 'GET', url: '/demo', headers: { host: 'parley.test:3000' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Parley Demo Store');
    expect(res.body).toContain(SNIPPET);
    expect(origins).toEqual(['http://parley.test:3000']);
    const noDemo = await make(path.join(dir, 'dist'), false);
    try {
      const page = await noDemo.inject({ method: 'GET', url: '/demo' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('No demo chat here');
    } finally {
      await noDemo.close();
    }
  });

  it('explains how to build the widget when it has not been built', async () => {
    const loader = await unbuilt.inject({ method: 'GET', url: '/widget.js' });
    expect(loader.statusCode).toBe(200);
    expect(loader.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(loader.body).toContain('npm run build:widget');
    const frame = await unbuilt.inject({ method: 'GET', url: '/widget/frame?key=pk_live_anywhere' });
    expect(frame.statusCode).toBe(503);
    expect(frame.body).toContain('npm run build:widget');
    expect((await unbuilt.inject({ method: 'GET', url: '/widget/assets/frame-abc123.js' })).statusCode).toBe(404);
    const demo = await unbuilt.inject({ method: 'GET', url: '/demo' });
    expect(demo.body).toContain('npm run build:widget');
  });
});
