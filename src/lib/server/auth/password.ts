// Password hashing: bcryptjs, cost from BCRYPT_ROUNDS (10 by default).
import bcrypt from 'bcryptjs';
import { getEnv } from '../env.ts';

export function hashPassword(plain: string, rounds = getEnv().BCRYPT_ROUNDS): Promise<string> {
  return bcrypt.hash(plain, rounds);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

let dummy: Promise<string> | undefined;

/**
 * Compares against a throwaway hash of the configured cost, so a login for an
 * unknown email takes as long as one with a wrong password (no enumeration by timing).
 */
export async function burnPasswordCheck(plain: string): Promise<false> {
  dummy ??= hashPassword('soko-dummy-password-for-timing');
  await bcrypt.compare(plain, await dummy);
  return false;
}
