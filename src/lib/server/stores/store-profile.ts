// A seller's public store profile and its editing.
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { StorePatch } from '../../shared/stores.ts';

export interface StoreProfile {
  sellerId: string;
  storeName: string | null;
  handle: string | null;
  description: string;
  location: string | null;
  phone: string | null;
  updatedAt: string;
}

const select = {
  userId: true,
  storeName: true,
  handle: true,
  description: true,
  location: true,
  phone: true,
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

/** Applies a validated patch; a taken handle is a 409 naming the field. */
export async function updateStoreProfile(db: Db, sellerId: string, patch: StorePatch): Promise<StoreProfile> {
  try {
    const p = await db.profile.update({ where: { userId: sellerId }, data: patch, select });
    return toStore(p);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw new AppError('CONFLICT', 'That store handle is already taken', { field: 'handle' });
    }
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025') {
      throw new AppError('NOT_FOUND', 'Store not found');
    }
    throw err;
  }
}
