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
  return { port, host, dataDir, databaseUrl, logLevel, llm: parseLlm(env), bodyLimitBytes: 1024 * 1024 };
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
