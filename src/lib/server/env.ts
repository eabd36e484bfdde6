// Validated environment. Read once; a bad value stops startup with a message
// that names the variable (see loadEnv). Used by the server and by scripts.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const intInRange = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const schema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATABASE_POOL_SIZE: intInRange(1, 200, 10),
  PGLITE_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data/pglite')),
  JWT_SECRET: optionalString,
  PUBLIC_SITE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).default('http://localhost:4321')),
  WHATSAPP_NUMBER: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[1-9]\d{7,14}$/, 'must be an international number in digits only, e.g. 254756185209')
      .default('254756185209'),
  ),
  BCRYPT_ROUNDS: intInRange(4, 15, 10),
  DEMO_PASSWORD: z.preprocess(emptyToUndefined, z.string().min(8).default('soko-demo-2026')),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
  ),
  TRUST_PROXY: z
    .preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false'))
    .transform((v) => v === 'true'),
  UPLOADS_DIR: z.preprocess(emptyToUndefined, z.string().default('.data/uploads')),
  IMAGE_CACHE_DIR: z.preprocess(emptyToUndefined, z.string().default('.data/image-cache')),
  // server.mjs: where it listens, how many workers, how long a shutdown may take.
  HOST: optionalString,
  PORT: intInRange(1, 65_535, 4321),
  WEB_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).optional()),
  DATABASE_POOL_BUDGET: intInRange(2, 10_000, 40),
  SHUTDOWN_GRACE_MS: intInRange(0, 600_000, 25_000),
});

/** Every variable the server reads (.env.example documents each one). */
export const ENV_VARIABLES = Object.keys(schema.shape);

export type Env = z.infer<typeof schema> & { JWT_SECRET: string; isProduction: boolean };

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  const env = result.data;
  // `astro build` runs with NODE_ENV=production but pre-renders public pages
  // only: it needs no secret, so the production-only rules apply to servers.
  const building = source.SOKO_PHASE === 'build';
  const isProduction = env.NODE_ENV === 'production' && !building;
  let secret = env.JWT_SECRET;
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < 32) {
    throw new EnvError('Invalid environment configuration:\n  JWT_SECRET: must be at least 32 bytes');
  }
  if (secret === undefined) {
    if (isProduction) {
      throw new EnvError(
        'Invalid environment configuration:\n  JWT_SECRET: required in production (at least 32 bytes)',
      );
    }
    // Development only: a per-process secret; sessions end when the server restarts.
    secret = randomBytes(32).toString('base64url');
  }
  if (isProduction && source.DEMO_PASSWORD) {
    throw new EnvError('Invalid environment configuration:\n  DEMO_PASSWORD: demo accounts are refused in production');
  }
  return { ...env, JWT_SECRET: secret, isProduction };
}

let cached: Env | undefined;

/** The process environment, validated once. Throws EnvError naming the bad variable. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
