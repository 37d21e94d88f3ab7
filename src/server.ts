import { buildApp, type App } from './app.js';
import type { Config } from './shared/config/config.js';
import { createDatabase, type Database } from './shared/db/database.js';
import { migrateToLatest } from './shared/db/migrations/index.js';
import { createServices } from './services.js';
import { startTasks } from './shared/tasks/tasks.js';
import { createTasks } from './tasks.js';
import type { NewWorkspace } from './modules/accounts/accounts.usecases.js';
import { startMetricsListener } from './modules/metrics/metrics.routes.js';

export interface RunningServer {
  app: App;
  database: Database;
  url: string;
  /** PARLEY_METRICS_HOST: where the loopback metrics listener serves GET /metrics; null without one. */
  metricsUrl: string | null;
  firstWorkspace: NewWorkspace | null;
  stop(): Promise<void>;
}

/** Opens storage, applies migrations, seeds the first workspace on an empty database, and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const database = createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database);
    const services = createServices({ database, config });
    const firstWorkspace = await services.workspaces.ensureFirst();
    const app = await buildApp({
      services,
      logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
      bodyLimitBytes: config.bodyLimitBytes,
      rateLimits: config.rateLimits,
      metrics: config.metrics,
    });
    await app.listen({ port: config.port, host: config.host });
    const metricsListener = config.metrics.host
      ? await startMetricsListener(services.metrics, { host: config.metrics.host, port: config.metrics.port }).catch(async (err: unknown) => {
          await app.close();
          throw err;
        })
      : null;
    await services.eventLog.start();
    const tasks = startTasks(createTasks(services), app.log);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      app,
      database,
      url: `http://${host}:${port}`,
      metricsUrl: metricsListener?.url ?? null,
      firstWorkspace,
      async stop() {
        // Tasks first: a run in progress still needs the database.
        await tasks.stop();
        await services.channelRegistry.close();
        await metricsListener?.close();
        // Connections busy when closing began (a reply being written, a stream) go idle only
        // later, and would then hold the close open for the whole keep-alive timeout: close each
        // one as soon as it is idle.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
        }
        await services.eventLog.stop();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}
