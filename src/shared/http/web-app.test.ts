import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './error-handler.js';
import { registerWebApp } from './web-app.js';

/** The inbox is served at `/` next to the API, which keeps its JSON 404s. */
describe('the web inbox served by Parley', () => {
  let dir: string;
  let built: FastifyInstance;
  let unbuilt: FastifyInstance;
  const make = async (dist: string) => {
    const app = Fastify();
    registerErrorHandling(app);
    app.get('/api/v1/ping', async () => ({ data: 'pong' }));
    await registerWebApp(app, dist);
    await app.ready();
    return app;
  };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
    fs.mkdirSync(path.join(dir, 'dist', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>inbox</title>');
    fs.writeFileSync(path.join(dir, 'dist', 'assets', 'app-abc123.js'), 'console.log(1)');
    built = await make(path.join(dir, 'dist'));
    unbuilt = await make(path.join(dir, 'missing'));
  });
  afterAll(async () => {
    await built.close();
    await unbuilt.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the app’s own addresses with index.html, revalidated on every load', async () => {
    for (const url of ['/', '/inbox', '/inbox/0199aa?status=active', '/admin/agents']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>inbox</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    }
    const missing = await unbuilt.inject({ method: 'GET', url: '/' });
    expect(missing.headers['x-frame-options']).toBe('DENY');
  });

  it('serves hashed assets with a long cache and keeps API routes working', async () => {
    const asset = await built.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await built.inject({ method: 'GET', url: '/api/v1/ping' })).json()).toEqual({ data: 'pong' });
  });

  it('keeps unknown API routes and missing files 404 in the JSON envelope', async () => {
    for (const url of ['/api/v1/nope', '/api', '/assets/gone.js', '/favicon.ico', '/not-a-page']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect((await built.inject({ method: 'POST', url: '/inbox' })).statusCode).toBe(404);
  });

  it('says how to build the inbox instead of failing when web/dist is missing', async () => {
    const res = await unbuilt.inject({ method: 'GET', url: '/inbox' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build:web');
    expect((await unbuilt.inject({ method: 'GET', url: '/api/v1/nope' })).statusCode).toBe(404);
  });
});
