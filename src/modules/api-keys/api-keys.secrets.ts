import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type KeyMode = 'live' | 'test';

const KEY_PATTERN = /^sk_(live|test)_([A-Za-z0-9_-]{32,64})$/;
const PREFIX_RANDOM_CHARS = 12;

export interface NewSecret {
  secret: string;
  prefix: string;
  hash: string;
}

/** A new API key: shown once; only its lookup prefix and SHA-256 hash are stored. */
export function generateApiKey(mode: KeyMode = 'live'): NewSecret {
  const random = randomBytes(30).toString('base64url');
  const secret = `sk_${mode}_${random}`;
  return { secret, prefix: prefixOf(secret)!, hash: hashSecret(secret) };
}

/** The stored lookup prefix of a well-formed key, or null for anything that is not a key. */
export function prefixOf(secret: string): string | null {
  const m = KEY_PATTERN.exec(secret);
  if (!m) return null;
  return `sk_${m[1]}_${m[2].slice(0, PREFIX_RANDOM_CHARS)}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented key against a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
