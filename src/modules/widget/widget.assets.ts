import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { originOf } from '../../shared/http/origin.js';
import { demoPage, NO_DEMO_PAGE } from './widget.demo-page.js';

/** The built widget (issue 14): `npm install` runs `npm run build:widget` into widget/dist. */
export const WIDGET_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../widget/dist');

export interface WidgetAssetsDeps {
  /**
   * The origins that may embed the chat of the channel whose public key this is: a list (CSP
   * frame-ancestors), [] for any origin, or null when no active web_widget channel has the key.
   */
  frameAncestors(publicKey: string): Promise<string[] | null>;
  /** The embed snippet of the demo channel, with `origin` as Parley's address; null without one. */
  demoSnippet(origin: string): Promise<string | null>;
}

/**
 * The frame's own policy: it runs only its own scripts, talks only to Parley, and never posts a
 * form or follows a <base> elsewhere, whatever a message contains. Images may be blob: URLs: the
 * attached pictures, fetched with the visitor's token (an <img> cannot send it).
 */
export const FRAME_CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** An origin as a CSP source: anything else (a quote, a semicolon, a space) could change the policy. */
const CSP_ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

const HTML = 'text/html; charset=utf-8';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2937">
${body}
</body></html>`;

const NOT_BUILT = 'The chat widget has not been built yet. Run <code>npm run build:widget</code> (or <code>npm install</code>) and reload.';
const NOT_BUILT_PAGE = page('Parley chat widget', `<h1>Chat widget not built</h1><p>${NOT_BUILT}</p>`);
const NOT_BUILT_SCRIPT = `/* Parley: the chat widget has not been built yet. Run \`npm run build:widget\` (or \`npm install\`) on the server. */
console.warn('Parley: the chat widget has not been built on this server (npm run build:widget).');
`;
const UNKNOWN_KEY_PAGE = page('Chat not available', '<h1>Chat not available</h1><p>No chat widget is set up for this key.</p>');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** A file of the build, or null when it is not there (no build yet, or a stale asset name). */
async function read(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw err;
  }
}

/**
 * Serves the visitor's side of the widget: the loader at /widget.js, the chat frame at
 * /widget/frame?key=pk_… (framable only by the channel's allowed origins), its hashed assets, and
 * the demo shop page at /demo. The files are read from the build on each request (they are small
 * and the OS caches them), so a rebuild needs no restart; without a build, each route says how to
 * make one instead of failing.
 */
export function registerWidgetAssets(app: FastifyInstance, deps: WidgetAssetsDeps, dist: string = WIDGET_DIST): void {
  app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) => {
    const body = await read(path.join(dist, 'widget.js'));
    // Any site may load the loader, also one that isolates itself (COEP).
    reply.type(TYPES['.js']).header('cross-origin-resource-policy', 'cross-origin');
    if (!body) return reply.header('cache-control', 'no-cache').send(NOT_BUILT_SCRIPT);
    return reply.header('cache-control', 'public, max-age=300').send(body);
  });

  app.get<{ Querystring: { key?: string } }>('/widget/frame', { schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'no-cache').header('referrer-policy', 'no-referrer');
    const key = typeof request.query.key === 'string' ? request.query.key : '';
    const origins = key ? await deps.frameAncestors(key) : null;
    if (origins === null) return reply.code(404).type(HTML).send(UNKNOWN_KEY_PAGE);
    const safe = origins.filter((o) => CSP_ORIGIN.test(o));
    // A list with no origin left in it must not turn into "any origin".
    const ancestors = origins.length === 0 ? '' : `; frame-ancestors ${safe.length ? safe.join(' ') : "'none'"}`;
    reply.header('content-security-policy', FRAME_CSP + ancestors);
    const body = await read(path.join(dist, 'frame.html'));
    if (!body) return reply.code(503).type(HTML).send(NOT_BUILT_PAGE);
    return reply.type(HTML).send(body);
  });

  app.get<{ Params: { '*': string } }>('/widget/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const name = request.params['*'];
    const type = TYPES[path.extname(name)];
    if (!/^[\w-][\w.-]*$/.test(name) || !type) return notFound(reply);
    const body = await read(path.join(dist, 'assets', name));
    if (!body) return notFound(reply);
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('cross-origin-resource-policy', 'same-origin')
      .send(body);
  });

  app.get('/demo', { schema: { hide: true } }, async (request, reply) => {
    reply.type(HTML).header('cache-control', 'no-cache');
    const snippet = await deps.demoSnippet(originOf(request));
    if (!snippet) return reply.send(NO_DEMO_PAGE);
    const built = (await read(path.join(dist, 'widget.js'))) !== null;
    return reply.send(demoPage(snippet, built ? null : NOT_BUILT));
  });
}

function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}
