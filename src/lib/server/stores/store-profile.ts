// A seller's public store profile and its editing.
//
// Renaming a store (a new handle) keeps the old handle as a StoreHandleAlias:
// /s/{old} then redirects to /s/{new} (the catalog gate on the Node server,
// the on-demand store routes elsewhere). An old handle stays reserved for the
// store that used it: another seller claiming it gets the same 409 as for a
// handle in use, so nobody can take over the redirect and the traffic of an
// established store. The store itself may take an old handle back (the alias
// goes). A store keeps at most MAX_HANDLE_ALIASES old handles, so nobody can
// reserve names in bulk by renaming over and over.
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { StorePatch } from '../../shared/stores.ts';
import { STORE_IMAGE_SELECT, type StoreImageRef } from './store-images.ts';

/** Old handles one store may keep (each redirects to the current one). */
export const MAX_HANDLE_ALIASES = 5;

export interface StoreProfile {
  sellerId: string;
  storeName: string | null;
  handle: string | null;
  description: string;
  location: string | null;
  phone: string | null;
  logo: StoreImageRef | null;
  banner: StoreImageRef | null;
  updatedAt: string;
}

const select = {
  userId: true,
  storeName: true,
  handle: true,
  description: true,
  location: true,
  phone: true,
  logo: { select: STORE_IMAGE_SELECT },
  banner: { select: STORE_IMAGE_SELECT },
  updatedAt: true,
} as const;

function toStore(p: Prisma.ProfileGetPayload<{ select: typeof select }>): StoreProfile {
  const { userId, updatedAt, ...rest } = p;
  return { sellerId: userId, ...rest, updatedAt: updatedAt.toISOString() };
}

export async function getStoreProfile(db: Db, sellerId: string): Promise<StoreProfile> {
  const p = await db.profile.findUnique({ where: { userId: sellerId }, select });
  if (!p) throw new AppError('NOT_FOUND', 'Store not found');
  return toStore(p);
}

const handleTaken = () => new AppError('CONFLICT', 'That store handle is already taken', { field: 'handle' });

/** Applies a validated patch; a taken handle (in use, or an old handle of another store) is a 409 naming the field. */
export async function updateStoreProfile(db: Db, sellerId: string, patch: StorePatch): Promise<StoreProfile> {
  try {
    return await db.$transaction(async (tx) => {
      const current = await tx.profile.findUnique({ where: { userId: sellerId }, select: { id: true, handle: true } });
      if (!current) throw new AppError('NOT_FOUND', 'Store not found');
      if (patch.handle !== undefined && patch.handle !== current.handle) {
        await renameHandle(tx, current.id, current.handle, patch.handle);
      }
      // Named fields, never the patch itself: a key the schema lets through by mistake reaches no column.
      // (undefined leaves a column as it is.)
      const data = {
        storeName: patch.storeName,
        handle: patch.handle,
        description: patch.description,
        location: patch.location,
        phone: patch.phone,
      } satisfies Prisma.ProfileUpdateInput;
      return toStore(await tx.profile.update({ where: { id: current.id }, data, select }));
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') throw handleTaken();
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025') {
      throw new AppError('NOT_FOUND', 'Store not found');
    }
    throw err;
  }
}

/**
 * Records `from` as an alias of the store and frees `to` from its aliases.
 * Both handles are locked (advisory, per handle) for the transaction, so a
 * rename and another seller's claim of the same handle cannot interleave: the
 * claim either sees the alias (409) or runs first and the rename keeps going.
 */
async function renameHandle(
  tx: Prisma.TransactionClient,
  profileId: string,
  from: string | null,
  to: string,
): Promise<void> {
  for (const h of [from, to].filter((h): h is string => !!h).sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`store-handle:${h}`}))`;
  }
  const alias = await tx.storeHandleAlias.findUnique({ where: { handle: to }, select: { profileId: true } });
  if (alias && alias.profileId !== profileId) throw handleTaken();
  // Taking back one of the store's own old handles: it stops redirecting.
  if (alias) await tx.storeHandleAlias.delete({ where: { handle: to } });
  if (!from) return;
  const kept = await tx.storeHandleAlias.count({ where: { profileId } });
  if (kept >= MAX_HANDLE_ALIASES) {
    throw new AppError(
      'CONFLICT',
      `This store has been renamed ${MAX_HANDLE_ALIASES} times; choose one of its earlier handles or contact support`,
      { field: 'handle' },
    );
  }
  await tx.storeHandleAlias.create({ data: { handle: from, profileId } });
}

/**
 * Where an old handle now lives: the store's current handle, or null when the
 * handle was never renamed away. Used by the on-demand store routes (the Node
 * server's catalog gate keeps the same map in memory).
 */
export async function resolveHandleAlias(db: Db, handle: string): Promise<string | null> {
  const alias = await db.storeHandleAlias.findUnique({
    where: { handle },
    select: { profile: { select: { handle: true } } },
  });
  return alias?.profile.handle ?? null;
}
