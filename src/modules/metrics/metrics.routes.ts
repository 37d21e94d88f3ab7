import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors/errors.js';
import type { MetricsConfig } from '../../shared/config/config.js';
import type { Metrics } from './metrics.js';

/**
 * Counts every answered request by its route pattern, and — when PARLEY_METRICS_TOKEN is set —
 * serves GET /metrics on the app's own port.
 *
 * Who may call GET /metrics here: whoever sends `Authorization: Bearer <PARLEY_METRICS_TOKEN>`
 * (compared in constant time); anyone else gets a 401 in the envelope. What it sees: counts and
 * timings only — route patterns, statuses, queue names, consumer names — never an id, a URL, a
 * name or a message. Without a token the route does not exist (404), as when metrics are off.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, config: Pick<MetricsConfig, 'token' | 'host'>): void {
  if (!config.token && !config.host) return;

  app.addHook('onResponse', async (request, reply) => {
    // The pattern (`/api/v1/conversations/:id`), never the URL: a bounded set of label values.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  const token = config.token;
  if (!token) return;
  const expected = digest(token);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    // Hashes of equal length, so that neither the comparison nor its length leaks the token.
    if (!given || !timingSafeEqual(digest(given), expected)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('UNAUTHORIZED', 'Send the metrics token as Authorization: Bearer <PARLEY_METRICS_TOKEN>');
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * PARLEY_METRICS_HOST: a second listener on a loopback address that serves GET /metrics alone,
 * without a token — only processes on this machine (a local Prometheus or agent) can reach it.
 */
export async function startMetricsListener(metrics: Metrics, config: { host: string; port: number }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' }).end(body);
    };
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      answer(404, 'application/json; charset=utf-8', JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Only GET /metrics is served here', details: {} } }));
      return;
    }
    metrics.render().then(
      (text) => answer(200, metrics.contentType, text),
      () => answer(503, 'application/json; charset=utf-8', JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Metrics could not be read; retry shortly', details: {} } })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
