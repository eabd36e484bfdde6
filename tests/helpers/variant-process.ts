// Another server process for tests/integration/images-lock.test.ts, started with
// child_process.fork: its own Prisma client and its own module state (transform
// queue, in-flight map, memory caches, transformStats), over the parent's
// PostgreSQL database, uploads folder and variant cache. Driven by IPC messages.
import { createHash } from 'node:crypto';
import { createDb } from '../../src/lib/server/db.ts';
import { errorResponse, toAppError } from '../../src/lib/server/http/errors.ts';
import { FolderStorage } from '../../src/lib/server/images/storage.ts';
import {
  configureTransforms,
  serveImage,
  transformStats,
  tryLockVariant,
  variantFiles,
  type TransformLimits,
  type VariantStore,
} from '../../src/lib/server/images/variants.ts';
import type { ImageFormat, ImageWidth } from '../../src/lib/shared/images.ts';

export interface ProcessConfig {
  databaseUrl: string;
  uploadsDir: string;
  cacheDir: string;
}

export type Command =
  | { type: 'configure'; limits: Partial<TransformLimits> }
  /** `count` requests for one URL at once, as a burst of browsers would send them. */
  | { type: 'get'; path: string; count: number }
  /** Takes a variant's lock the way a transforming process does, and keeps it. */
  | { type: 'lock'; contentHash: string; width: ImageWidth; format: ImageFormat }
  | { type: 'unlock' };

export interface GetReply {
  statuses: number[];
  /** SHA-256 of each response body. */
  digests: string[];
  /** Transforms this process ran for the burst. */
  runs: number;
}

const config = JSON.parse(process.argv[2]!) as ProcessConfig;
const { db } = createDb({ url: config.databaseUrl, poolSize: 4 });
const store: VariantStore = { storage: new FolderStorage(config.uploadsDir), cacheDir: config.cacheDir };
let release: (() => Promise<void>) | null = null;

async function get(path: string): Promise<Response> {
  const url = new URL(path, 'http://test.local');
  try {
    return await serveImage(db, url.pathname.replace('/api/images/', ''), url, new Headers(), store);
  } catch (err) {
    return errorResponse(toAppError(err));
  }
}

async function run(cmd: Command): Promise<unknown> {
  switch (cmd.type) {
    case 'configure':
      return configureTransforms(cmd.limits);
    case 'get': {
      const before = transformStats.runs;
      const responses = await Promise.all(Array.from({ length: cmd.count }, () => get(cmd.path)));
      const bodies = await Promise.all(responses.map(async (r) => Buffer.from(await r.arrayBuffer())));
      return {
        statuses: responses.map((r) => r.status),
        digests: bodies.map((b) => createHash('sha256').update(b).digest('hex')),
        runs: transformStats.runs - before,
      } satisfies GetReply;
    }
    case 'lock':
      release = await tryLockVariant(variantFiles(cmd.contentHash, cmd.width, cmd.format, config.cacheDir));
      return release !== null;
    case 'unlock':
      await release?.();
      release = null;
      return true;
  }
}

process.on('message', (cmd: Command) => {
  run(cmd).then(
    (reply) => process.send!({ ok: true, reply }),
    (err: unknown) => process.send!({ ok: false, error: String(err) }),
  );
});
// Connected and warm, so a burst starts in every process at the same moment.
await db.$queryRaw`SELECT 1`;
process.send!({ ok: true, reply: 'ready' });
