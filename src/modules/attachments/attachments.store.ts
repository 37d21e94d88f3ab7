import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../../shared/config/config.js';

/**
 * Where attachment bytes live, by storage key. Keys are made here, at random (never from a
 * filename), so a key can neither point outside the store nor be guessed from a name.
 */
export interface AttachmentStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the bytes; a key with nothing stored is not an error. */
  delete(key: string): Promise<void>;
}

/** Two hex characters of fan-out, then 32 of randomness: `3f/9c0e…`. */
const KEY = /^[0-9a-f]{2}\/[0-9a-f]{32}$/;

export function newStorageKey(): string {
  const hex = randomBytes(17).toString('hex');
  return `${hex.slice(0, 2)}/${hex.slice(2, 34)}`;
}

/** Whether `key` is one this store makes (`3f/9c0e…`): what a backup copies of a store's folder. */
export const isStorageKey = (key: string): boolean => KEY.test(key);

/** The folder of the data directory that the disk store keeps files in. */
export const diskStoreDir = (dataDir: string): string => path.join(dataDir, 'attachments');

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`not an attachment storage key: ${JSON.stringify(key)}`);
  return key;
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/**
 * Files under `dir` (PARLEY_DATA_DIR/attachments). A file is written beside its final name and
 * renamed into place, so a reader never sees half a file, even after a crash mid-write.
 */
export function createDiskStore(dir: string): AttachmentStore {
  const fileOf = (key: string) => path.join(dir, ...checkKey(key).split('/'));
  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await fs.writeFile(temp, bytes, { flag: 'wx' });
        await fs.rename(temp, file);
      } catch (err) {
        await fs.rm(temp, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return await fs.readFile(fileOf(key));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      await fs.rm(fileOf(key), { force: true });
    },
  };
}

/**
 * Objects in an S3-compatible bucket, for several processes (or hosts) sharing the files. The
 * SDK is loaded on first use: a server keeping files on disk never pays for it.
 */
export function createS3Store(config: S3Config): AttachmentStore {
  let sdk: Promise<{ client: S3Client; s3: typeof import('@aws-sdk/client-s3') }> | null = null;
  const connect = () =>
    (sdk ??= import('@aws-sdk/client-s3').then((s3) => ({
      s3,
      client: new s3.S3Client({
        region: config.region,
        ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
        ...(config.credentials ? { credentials: config.credentials } : {}),
        // Many S3-compatible servers do not know the checksums the SDK adds by default; AWS
        // does not need them either (the SDK still sends those an operation requires).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    })));
  const Bucket = config.bucket;
  return {
    async put(key, bytes) {
      const { client, s3 } = await connect();
      await client.send(new s3.PutObjectCommand({ Bucket, Key: checkKey(key), Body: bytes, ContentLength: bytes.length }));
    },
    async get(key) {
      checkKey(key);
      const { client, s3 } = await connect();
      try {
        const out = await client.send(new s3.GetObjectCommand({ Bucket, Key: key }));
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
      } catch (err) {
        const name = (err as { name?: string } | null)?.name;
        if (name === 'NoSuchKey' || name === 'NotFound') return null;
        throw err;
      }
    },
    async delete(key) {
      checkKey(key);
      const { client, s3 } = await connect();
      // S3 answers a delete of an absent key with success.
      await client.send(new s3.DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}

/** The bucket when one is configured, else files under the data directory. */
export function createAttachmentStore({ s3, dataDir }: { s3: S3Config | null; dataDir: string }): AttachmentStore {
  return s3 ? createS3Store(s3) : createDiskStore(diskStoreDir(dataDir));
}
