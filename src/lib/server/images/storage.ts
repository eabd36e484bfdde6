// Where original images live. A folder by default; the interface is small so
// an object bucket can replace it without touching callers.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { getEnv } from '../env.ts';

export interface BlobStorage {
  put(key: string, data: Buffer): Promise<void>;
  /** null when the key does not exist. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[a-z0-9-]+(\/[a-z0-9-]+)*\.(jpg|png|webp|avif)$/;

/**
 * Content-addressed key from the normalized bytes' SHA-256: server-generated,
 * never derived from a user's file name, and the same bytes are stored once.
 */
export function contentKey(contentHash: string, prefix = 'products', ext = 'jpg'): string {
  if (!/^[a-f0-9]{64}$/.test(contentHash)) throw new Error('contentKey needs a SHA-256 hex digest');
  return `${prefix}/${contentHash.slice(0, 2)}/${contentHash}.${ext}`;
}

export class FolderStorage implements BlobStorage {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathFor(key: string): string {
    // Keys are server-generated; refuse anything else (path traversal).
    if (!KEY_PATTERN.test(key)) throw new Error(`Invalid storage key: ${key}`);
    const p = resolve(join(this.root, key));
    if (!p.startsWith(this.root + sep)) throw new Error(`Invalid storage key: ${key}`);
    return p;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const p = this.pathFor(key);
    await mkdir(dirname(p), { recursive: true });
    // Write then rename: a reader never sees a half-written file.
    const tmp = `${p}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, p);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathFor(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathFor(key), { force: true });
  }
}

let storage: BlobStorage | undefined;

export function getStorage(): BlobStorage {
  storage ??= new FolderStorage(getEnv().UPLOADS_DIR);
  return storage;
}
