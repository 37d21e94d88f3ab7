import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The built inbox (issue 5): `npm install` runs `vite build` into web/dist through `prepare`. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parley</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2937">
<h1>Parley is running</h1>
<p>The web inbox has not been built yet. Run <code>npm run build:web</code> (or <code>npm install</code>) and reload.</p>
<p>The API is at <a href="/api/v1">/api/v1</a>; its reference is at <a href="/docs">/docs</a>.</p>
</body></html>`;

/**
 * The inbox's own addresses (its client-side routes), answered with index.html so that a reload or
 * a shared link works. Listed rather than caught with `/*`: a catch-all would also catch /api/…
 * paths the router gives up on (an over-long id is a 400 today, not a 404).
 */
const APP_ROUTES = ['/', '/login', '/invite/:token', '/inbox', '/inbox/:id', '/contacts', '/contacts/:id', '/analytics', '/canned-responses', '/account/*', '/admin', '/admin/*'];

/** The inbox is never shown inside another site's frame (clickjacking an operator's clicks). */
const NO_FRAMING = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };

/**
 * Serves the inbox at `/`: the built files, and index.html at the app's own addresses. Anything
 * else (unknown /api/… paths included) keeps answering 404 in the JSON envelope. Without a build,
 * a short page says how to make one instead of the server failing to start.
 */
export async function registerWebApp(app: FastifyInstance, dist: string = WEB_DIST): Promise<void> {
  const built = fs.existsSync(path.join(dist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: dist,
      // One route per built file, found at start-up (no catch-all: see APP_ROUTES).
      wildcard: false,
      index: false,
      // Our own cache policy below; @fastify/static's default (max-age=0) would override it.
      cacheControl: false,
      setHeaders(res, filePath) {
        // Vite puts a content hash in every asset name; index.html must always be revalidated.
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        for (const [name, value] of Object.entries(NO_FRAMING)) res.setHeader(name, value);
      },
    });
  }
  for (const url of APP_ROUTES) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'no-cache').headers(NO_FRAMING);
      if (!built) return reply.type('text/html; charset=utf-8').send(MISSING_BUILD_PAGE);
      return reply.sendFile('index.html');
    });
  }
}
