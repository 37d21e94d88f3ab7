import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai.js';
import { startServe, type ServeProcess } from '../serve-process.js';

/** A real `parley serve` on a fresh data directory, answering through a fake OpenAI-compatible LLM. */
export interface Parley {
  url: string;
  apiKey: string;
  admin: { email: string; password: string };
  fake: FakeOpenAI;
  /** One API call as the workspace's API key; throws on an unexpected status. */
  call<T = unknown>(method: string, url: string, body?: unknown, expect?: number): Promise<T>;
  /** Signs a member in through the API; calls then go with their session cookie and CSRF token. */
  signIn(email: string, password: string): Promise<MemberSession>;
  stop(): Promise<void>;
}

export interface MemberSession {
  member: { id: string; name: string; role: string };
  call<T = unknown>(method: string, url: string, body?: unknown, expect?: number): Promise<T>;
}

type Headers = Record<string, string>;

async function request<T>(base: string, headers: Headers, method: string, url: string, body?: unknown, expected?: number): Promise<T> {
  const res = await fetch(base + url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (expected !== undefined ? res.status !== expected : !res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** `env` adds to (or overrides) the server's environment: a smaller upload limit, faster retries. */
export async function startParley(env: Record<string, string> = {}): Promise<Parley> {
  const fake = await startFakeOpenAI();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
  let server: ServeProcess;
  try {
    server = await startServe({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_LLM: 'openai-compatible',
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'test-key',
      PARLEY_MODEL: 'fake-model',
      ...env,
    });
  } catch (err) {
    await fake.close();
    throw err;
  }
  const login = /Admin login:\s+(\S+) \/ (\S+)/.exec(server.output());
  if (!login || !server.apiKey) throw new Error(`no first workspace in the output:\n${server.output()}`);
  const apiKey = server.apiKey;
  return {
    url: server.url,
    apiKey,
    admin: { email: login[1], password: login[2] },
    fake,
    call<T>(method: string, url: string, body?: unknown, expected?: number): Promise<T> {
      return request<T>(server.url, { authorization: `Bearer ${apiKey}` }, method, url, body, expected);
    },
    async signIn(email: string, password: string): Promise<MemberSession> {
      const res = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`sign-in as ${email} → ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { data: MemberSession['member']; csrf_token: string };
      const headers = { cookie: String(res.headers.get('set-cookie')).split(';')[0], 'x-csrf-token': body.csrf_token };
      return { member: body.data, call: (method, url, payload, expected) => request(server.url, headers, method, url, payload, expected) };
    },
    async stop() {
      await server.stop();
      await fake.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
