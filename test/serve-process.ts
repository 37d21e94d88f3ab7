import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve('bin/parley.js');

export interface ServeProcess {
  url: string;
  /** The first workspace's API key, when this process created it (empty database). */
  apiKey: string | null;
  /** The first workspace's admin sign-in, when this process created it. */
  admin: { email: string; password: string } | null;
  output: () => string;
  child: ChildProcess;
  /** SIGTERM and wait for exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9) and wait. */
  kill(): Promise<void>;
}

/** Starts `parley serve` as a real child process on a free loopback port and waits until it listens. */
export async function startServe(env: Record<string, string>, timeoutMs = 30_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (!/running at (http:\/\/\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`parley serve did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // The banner and the key are written together; give the key line a moment if it is split.
  await new Promise((r) => setTimeout(r, 50));
  return {
    url: /running at (http:\/\/\S+)/.exec(out)![1],
    apiKey: /API key:\s+(sk_\S+)/.exec(out)?.[1] ?? null,
    admin: ((m) => (m ? { email: m[1], password: m[2] } : null))(/Admin login:\s+(\S+) \/ (\S+)/.exec(out)),
    output: () => out,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
