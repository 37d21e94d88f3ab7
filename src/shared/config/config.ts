import path from 'node:path';

/** Everything Parley reads from its environment, validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  logLevel: string;
  llm: LlmConfig | null;
  bodyLimitBytes: number;
  /** Requests per minute per API key (or signed-in member) and per client IP; 0 turns a limit off. */
  rateLimits: { perKey: number; perIp: number };
  /** PARLEY_WEBHOOK_RETRY_BASE_MS: the first webhook retry waits about this long, each next one twice as long. */
  webhookRetryBaseMs: number;
  /** PARLEY_WEBHOOK_ALLOW_PRIVATE=1: allow webhook URLs on loopback and private networks (tests, on-premise receivers). */
  webhookAllowPrivate: boolean;
  /** PARLEY_CHANNEL_RETRY_BASE_MS: the first retry of a reply sent through a channel (email) waits about this long, each next one twice as long. */
  channelRetryBaseMs: number;
  /** Uploaded and received files: the size limit and where the bytes are kept. */
  attachments: AttachmentsConfig;
  /** GET /metrics (Prometheus): off unless a token or a loopback address is given. */
  metrics: MetricsConfig;
}

export interface MetricsConfig {
  /** PARLEY_METRICS_TOKEN: GET /metrics on the main port answers a request with `Authorization: Bearer <token>`. */
  token: string | null;
  /** PARLEY_METRICS_HOST: a loopback address where a second listener serves GET /metrics without a token. */
  host: string | null;
  /** PARLEY_METRICS_PORT (default 9464): that listener's port. */
  port: number;
}

/** S3-compatible storage for attachments (PARLEY_S3_*): several processes share one bucket. */
export interface S3Config {
  bucket: string;
  /** Another S3-compatible service (MinIO, R2…); null for AWS itself. */
  endpoint: string | null;
  region: string;
  /** Null: the SDK's own credential chain (environment, instance profile). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}

export interface AttachmentsConfig {
  /** PARLEY_MAX_ATTACHMENT_MB (default 25): the largest file accepted, in bytes. */
  maxBytes: number;
  /** Set by PARLEY_S3_BUCKET; null keeps files on disk under PARLEY_DATA_DIR/attachments. */
  s3: S3Config | null;
}

export type LlmConfig =
  | { kind: 'openai-compatible'; baseUrl: string; apiKey: string; model: string }
  | { kind: 'anthropic'; baseUrl: string | null; apiKey: string; model: string };

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the configuration; throws ConfigError with one clear sentence. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT ?? '3000');
  const host = (env.HOST ?? '127.0.0.1').trim();
  if (!host) throw new ConfigError('HOST must not be empty');
  const dataDir = path.resolve(env.PARLEY_DATA_DIR ?? './data');
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const logLevel = (env.LOG_LEVEL ?? 'info').trim();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return { port, host, dataDir, databaseUrl, logLevel, llm: parseLlm(env), bodyLimitBytes: 1024 * 1024, rateLimits: parseRateLimits(env), ...parseWebhookConfig(env), ...parseChannelConfig(env), attachments: parseAttachmentsConfig(env), metrics: parseMetricsConfig(env) };
}

/** The metrics settings: a token of at least 16 characters, and/or a loopback address to listen on. */
export function parseMetricsConfig(env: NodeJS.ProcessEnv): MetricsConfig {
  const token = env.PARLEY_METRICS_TOKEN?.trim() || null;
  if (token && (token.length < 16 || /\s/.test(token))) {
    throw new ConfigError('PARLEY_METRICS_TOKEN must be at least 16 characters with no spaces (e.g. `openssl rand -hex 24`)');
  }
  const host = env.PARLEY_METRICS_HOST?.trim() || null;
  if (host && !isLoopback(host)) {
    throw new ConfigError(`PARLEY_METRICS_HOST must be a loopback address (127.0.0.1, ::1 or localhost), so that metrics are not served to the network without a token (got "${host}")`);
  }
  const rawPort = (env.PARLEY_METRICS_PORT ?? '').trim() || '9464';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) throw new ConfigError(`PARLEY_METRICS_PORT must be an integer from 0 to 65535 (got "${rawPort}")`);
  return { token, host, port };
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

/** The attachment settings alone (services built without a full Config read them here). */
export function parseAttachmentsConfig(env: NodeJS.ProcessEnv): AttachmentsConfig {
  const rawMb = (env.PARLEY_MAX_ATTACHMENT_MB ?? '').trim() || '25';
  const mb = Number(rawMb);
  if (!/^\d+(\.\d+)?$/.test(rawMb) || !(mb > 0) || mb > 5120) {
    throw new ConfigError(`PARLEY_MAX_ATTACHMENT_MB must be a number of megabytes above 0 and at most 5120 (got "${rawMb}")`);
  }
  const maxBytes = Math.floor(mb * 1024 * 1024);
  const bucket = env.PARLEY_S3_BUCKET?.trim();
  if (!bucket) {
    const stray = ['PARLEY_S3_ENDPOINT', 'PARLEY_S3_ACCESS_KEY_ID', 'PARLEY_S3_SECRET_ACCESS_KEY'].find((name) => env[name]?.trim());
    if (stray) throw new ConfigError(`${stray} is set but PARLEY_S3_BUCKET is not: name the bucket, or unset ${stray} to keep files on disk`);
    return { maxBytes, s3: null };
  }
  const endpoint = env.PARLEY_S3_ENDPOINT?.trim() || null;
  if (endpoint && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new ConfigError(`PARLEY_S3_ENDPOINT must be an http:// or https:// URL (got "${endpoint}")`);
  }
  const region = env.PARLEY_S3_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1';
  const accessKeyId = env.PARLEY_S3_ACCESS_KEY_ID?.trim() || env.AWS_ACCESS_KEY_ID?.trim() || '';
  const secretAccessKey = env.PARLEY_S3_SECRET_ACCESS_KEY?.trim() || env.AWS_SECRET_ACCESS_KEY?.trim() || '';
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError('PARLEY_S3_ACCESS_KEY_ID and PARLEY_S3_SECRET_ACCESS_KEY go together: set both, or neither to use the AWS credential chain');
  }
  return { maxBytes, s3: { bucket, endpoint, region, credentials: accessKeyId ? { accessKeyId, secretAccessKey } : null } };
}

/** The webhook settings alone (services built without a full Config, as in tests, read them here). */
export function parseWebhookConfig(env: NodeJS.ProcessEnv): Pick<Config, 'webhookRetryBaseMs' | 'webhookAllowPrivate'> {
  const rawBase = (env.PARLEY_WEBHOOK_RETRY_BASE_MS ?? '30000').trim();
  const webhookRetryBaseMs = Number(rawBase);
  if (!/^\d+$/.test(rawBase) || webhookRetryBaseMs < 1 || webhookRetryBaseMs > 86_400_000) {
    throw new ConfigError(`PARLEY_WEBHOOK_RETRY_BASE_MS must be a whole number of milliseconds from 1 to 86400000 (got "${rawBase}")`);
  }
  const rawPrivate = (env.PARLEY_WEBHOOK_ALLOW_PRIVATE ?? '').trim().toLowerCase();
  if (!['', '0', '1', 'true', 'false'].includes(rawPrivate)) {
    throw new ConfigError(`PARLEY_WEBHOOK_ALLOW_PRIVATE must be 1 or 0 (got "${rawPrivate}")`);
  }
  return { webhookRetryBaseMs, webhookAllowPrivate: rawPrivate === '1' || rawPrivate === 'true' };
}

/** The channel delivery settings alone (services built without a full Config read them here). */
export function parseChannelConfig(env: NodeJS.ProcessEnv): Pick<Config, 'channelRetryBaseMs'> {
  const raw = (env.PARLEY_CHANNEL_RETRY_BASE_MS ?? '30000').trim();
  const channelRetryBaseMs = Number(raw);
  if (!/^\d+$/.test(raw) || channelRetryBaseMs < 1 || channelRetryBaseMs > 86_400_000) {
    throw new ConfigError(`PARLEY_CHANNEL_RETRY_BASE_MS must be a whole number of milliseconds from 1 to 86400000 (got "${raw}")`);
  }
  return { channelRetryBaseMs };
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535 (got "${raw}")`);
  }
  return port;
}

function parseLlm(env: NodeJS.ProcessEnv): LlmConfig | null {
  const kind = (env.PARLEY_LLM ?? 'builtin').trim();
  if (kind === 'builtin' || kind === '') return null;
  const model = env.PARLEY_MODEL?.trim();
  if (kind === 'openai-compatible') {
    const baseUrl = env.OPENAI_BASE_URL?.trim();
    if (!baseUrl) throw new ConfigError('PARLEY_LLM=openai-compatible needs OPENAI_BASE_URL');
    if (!model) throw new ConfigError('PARLEY_LLM=openai-compatible needs PARLEY_MODEL');
    return { kind, baseUrl, apiKey: env.OPENAI_API_KEY ?? '', model };
  }
  if (kind === 'anthropic') {
    const apiKey = env.ANTHROPIC_API_KEY?.trim();
    if (!apiKey) throw new ConfigError('PARLEY_LLM=anthropic needs ANTHROPIC_API_KEY');
    return { kind, baseUrl: env.ANTHROPIC_BASE_URL?.trim() || null, apiKey, model: model || 'claude-sonnet-4-5' };
  }
  throw new ConfigError(`PARLEY_LLM must be builtin, openai-compatible or anthropic (got "${kind}")`);
}

function parseRateLimits(env: NodeJS.ProcessEnv): { perKey: number; perIp: number } {
  const read = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number of requests per minute (0 = no limit)`);
    return Number(raw);
  };
  return { perKey: read('PARLEY_RATE_LIMIT_PER_KEY', 6000), perIp: read('PARLEY_RATE_LIMIT_PER_IP', 12000) };
}
