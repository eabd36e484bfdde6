// Password hashing: bcryptjs, cost from BCRYPT_ROUNDS (10 by default).
import bcrypt from 'bcryptjs';
import { getEnv } from '../env.ts';

export function hashPassword(plain: string, rounds = getEnv().BCRYPT_ROUNDS): Promise<string> {
  return bcrypt.hash(plain, rounds);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}
