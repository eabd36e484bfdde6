// Password hashing: bcryptjs, cost from BCRYPT_ROUNDS (10 by default).
import bcrypt from 'bcryptjs';
import { getEnv } from '../env.ts';

export function hashPassword(plain: string, rounds = getEnv().BCRYPT_ROUNDS): Promise<string> {
  return bcrypt.hash(plain, rounds);
}

/**
 * True when `plain` matches. bcrypt ignores everything past 72 bytes, so a
 * longer input (which no stored password can be) never matches; the compare
 * still runs so the answer takes the same time.
 */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  const ok = await bcrypt.compare(plain, hash);
  return ok && !bcrypt.truncates(plain);
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
