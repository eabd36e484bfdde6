// One transform per missing variant across processes (server.mjs runs a worker
// per core; hosts may share IMAGE_CACHE_DIR): real child processes, each with
// its own module state, over one PostgreSQL database and one cache folder.
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderProductShot } from '../../prisma/seed/product-art.ts';
import { errorResponse, toAppError } from '../../src/lib/server/http/errors.ts';
import { FolderStorage } from '../../src/lib/server/images/storage.ts';
import { storeProductImage } from '../../src/lib/server/images/uploads.ts';
import {
  configureTransforms,
  serveImage,
  transformQueue,
  transformStats,
  variantFiles,
  type VariantStore,
} from '../../src/lib/server/images/variants.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { makeCatalog, tempDir } from '../helpers/image-fixtures.ts';
import type { Command, GetReply, ProcessConfig } from '../helpers/variant-process.ts';

const CHILD = fileURLToPath(new URL('../helpers/variant-process.ts', import.meta.url));

interface ServerProcess {
  ask<T = unknown>(cmd: Command): Promise<T>;
  child: ChildProcess;
}

// Child processes share one database, so PGlite (inside one process) cannot take part.
describeEachEngine(
  'image variants across processes',
  (ctx) => {
    let store: VariantStore;
    let config: ProcessConfig;
    let imageId: string;
    let hash: string;
    const started: ChildProcess[] = [];

    async function startProcess(): Promise<ServerProcess> {
      const child = fork(CHILD, [JSON.stringify(config)], {
        execArgv: ['--import', 'tsx'],
      });
      started.push(child);
      // One command at a time per process: the next message is its answer.
      const next = async () => {
        const [msg] = (await once(child, 'message')) as [{ ok: boolean; reply?: unknown; error?: string }];
        if (!msg.ok) throw new Error(`child ${child.pid}: ${msg.error}`);
        return msg.reply;
      };
      expect(await next()).toBe('ready');
      return {
        child,
        ask: <T>(cmd: Command) => {
          const answer = next() as Promise<T>;
          child.send(cmd);
          return answer;
        },
      };
    }

    /** The route in this process, minus Astro (as in images-serve.test.ts). */
    async function get(path: string) {
      const url = new URL(path, 'http://test.local');
      try {
        return await serveImage(ctx().db, url.pathname.replace('/api/images/', ''), url, new Headers(), store);
      } catch (err) {
        return errorResponse(toAppError(err));
      }
    }

    const url = (q: string) => `/api/images/${imageId}?${q}`;
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

    let servers: ServerProcess[];

    beforeAll(async () => {
      const uploadsDir = tempDir('lock-uploads');
      store = { storage: new FolderStorage(uploadsDir), cacheDir: tempDir('lock-cache') };
      config = { databaseUrl: ctx().url!, uploadsDir, cacheDir: store.cacheDir };
      const { product } = await makeCatalog(ctx().db);
      const photo = await renderProductShot({ seed: 7, category: 'bags', label: 'Kiondo basket', variant: 0 });
      const img = await storeProductImage(ctx().db, store.storage, product.id, photo, 'Kiondo basket');
      imageId = img.id;
      hash = img.contentHash;
      servers = await Promise.all([startProcess(), startProcess(), startProcess()]);
    });
    afterAll(() => {
      for (const child of started) child.kill();
      rmSync(store.cacheDir, { recursive: true, force: true });
      rmSync(config.uploadsDir, { recursive: true, force: true });
    });

    it('three processes asking for the same missing variant at once run one transform and serve the same bytes', async () => {
      const path = url('w=960&f=avif');
      // Sent in one go: each process gets a burst of four at the same moment.
      const replies = await Promise.all(servers.map((s) => s.ask<GetReply>({ type: 'get', path, count: 4 })));

      expect(replies.flatMap((r) => r.statuses)).toEqual(Array(12).fill(200));
      expect(replies.map((r) => r.runs).reduce((a, b) => a + b)).toBe(1);
      const files = variantFiles(hash, 960, 'avif', store.cacheDir);
      const onDisk = sha(readFileSync(files.path));
      expect(new Set(replies.flatMap((r) => r.digests))).toEqual(new Set([onDisk]));
      expect(existsSync(files.lockPath)).toBe(false);
    });

    it('a waiting request holds no transform slot, and transforms itself when the owner lets go without a file', async () => {
      const [owner] = servers as [ServerProcess];
      expect(await owner.ask({ type: 'lock', contentHash: hash, width: 640, format: 'jpeg' })).toBe(true);
      const saved = configureTransforms({ concurrency: 1 });
      try {
        const before = transformStats.runs;
        let settled = false;
        // The waiter's queue task finds the lock taken and gives its slot back (null).
        // Wait for that before the next request: otherwise that request can reach the
        // queue first, and the waiter's task is still pending when the check below runs.
        const triedLock = new Promise<unknown>((resolve) => transformQueue.once('completed', resolve));
        const waiting = get(url('w=640&f=jpeg')).finally(() => (settled = true));
        expect(await triedLock).toBeNull();
        // With one slot, another variant is served while the first request waits on the other process.
        const other = await get(url('w=320&f=jpeg'));
        expect(other.status).toBe(200);
        expect(settled).toBe(false);
        expect(transformQueue.pending + transformQueue.size).toBe(0);
        expect(transformStats.runs - before).toBe(1);

        // The owner fails (releases, writes nothing): the waiter takes the lock and makes the variant.
        await owner.ask({ type: 'unlock' });
        const res = await waiting;
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/jpeg');
        expect(transformStats.runs - before).toBe(2);
        expect(existsSync(variantFiles(hash, 640, 'jpeg', store.cacheDir).lockPath)).toBe(false);
      } finally {
        configureTransforms({ concurrency: saved.concurrency });
      }
    });

    it('takes over a lock left behind by a killed process once it is stale', async () => {
      // Stale after the transform time limit plus a 5 s margin: 6 s here.
      const saved = configureTransforms({ timeoutSeconds: 1 });
      try {
        const doomed = await startProcess();
        await doomed.ask({ type: 'configure', limits: { timeoutSeconds: 1 } });
        expect(await doomed.ask({ type: 'lock', contentHash: hash, width: 480, format: 'webp' })).toBe(true);
        const lockedAt = Date.now();
        doomed.child.kill('SIGKILL'); // no exit handler runs: the lock stays behind
        await once(doomed.child, 'exit');
        const { lockPath } = variantFiles(hash, 480, 'webp', store.cacheDir);
        expect(existsSync(lockPath)).toBe(true);

        const before = transformStats.runs;
        const res = await get(url('w=480&f=webp'));
        expect(res.status).toBe(200);
        // Not taken while it could still belong to a live process.
        expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(5_500);
        expect(transformStats.runs - before).toBe(1);
        expect(existsSync(lockPath)).toBe(false);
      } finally {
        configureTransforms({ timeoutSeconds: saved.timeoutSeconds });
      }
    });

    it('stops waiting on a live owner past the time limit with 503 and Retry-After', async () => {
      const [owner] = servers as [ServerProcess];
      const saved = configureTransforms({ timeoutSeconds: 1 });
      try {
        await owner.ask({ type: 'configure', limits: { timeoutSeconds: 1 } });
        expect(await owner.ask({ type: 'lock', contentHash: hash, width: 160, format: 'webp' })).toBe(true);
        const started = Date.now();
        const res = await get(url('w=160&f=webp'));
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect((await res.json()).error.code).toBe('SERVICE_UNAVAILABLE');
        // Time limit plus margin: a live owner keeps its lock fresh, so it is never taken over.
        expect(Date.now() - started).toBeGreaterThanOrEqual(6_000);

        await owner.ask({ type: 'unlock' });
        expect((await get(url('w=160&f=webp'))).status).toBe(200);
      } finally {
        configureTransforms({ timeoutSeconds: saved.timeoutSeconds });
        await owner.ask({ type: 'configure', limits: { timeoutSeconds: saved.timeoutSeconds } });
      }
    });

    it('a failed transform releases the lock, so the next request, in another process, tries again', async () => {
      const { product } = await makeCatalog(ctx().db);
      const corrupt = Buffer.from('not an image, whatever its name says');
      const contentHash = createHash('sha256').update(corrupt).digest('hex');
      const sourceKey = `products/${contentHash.slice(0, 2)}/${contentHash}.jpg`;
      await store.storage.put(sourceKey, corrupt);
      const row = await ctx().db.productImage.create({
        data: {
          productId: product.id,
          sourceKey,
          contentHash,
          width: 800,
          height: 600,
          lqip: '',
          dominantColor: '#000000',
        },
      });
      const path = `/api/images/${row.id}?w=320&f=webp`;
      const { lockPath } = variantFiles(contentHash, 320, 'webp', store.cacheDir);

      const [first, second] = servers as [ServerProcess, ServerProcess];
      const failed = await first.ask<GetReply>({ type: 'get', path, count: 3 });
      expect(failed.statuses).toEqual([500, 500, 500]);
      expect(failed.runs).toBe(1);
      expect(existsSync(lockPath)).toBe(false);

      // The source is repaired in place: the variant is not blocked by the earlier failure.
      await store.storage.put(
        sourceKey,
        await renderProductShot({ seed: 9, category: 'art', label: 'Print', variant: 1 }),
      );
      const retried = await second.ask<GetReply>({ type: 'get', path, count: 1 });
      expect(retried.statuses).toEqual([200]);
      expect(retried.runs).toBe(1);
      expect(existsSync(lockPath)).toBe(false);
    });
  },
  ['postgresql'],
);
