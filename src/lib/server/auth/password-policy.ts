// Server-side password rules beyond length (src/lib/shared/auth.ts): refuse
// the most common passwords. The list is the ~18,000 entries of 8 characters
// or more from zxcvbn-ts's common-passwords dictionary (MIT), compared case-insensitively.
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MIN_CHARS } from '../../shared/auth.ts';
import { AppError } from '../http/errors.ts';

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].filter((p) => p.length >= PASSWORD_MIN_CHARS));
  return common;
}

export function commonPasswordCount(): number {
  return commonPasswords().size;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/** Throws a 400 naming `field` when the password is too guessable for this account. */
export function assertStrongPassword(password: string, context: { email: string }, field = 'body.password'): void {
  const lower = password.toLowerCase();
  if (isCommonPassword(password)) {
    throw new AppError('VALIDATION_FAILED', `Invalid ${field}: this password is too common; choose another`, {
      issues: [{ path: field, message: 'is too common' }],
    });
  }
  if (lower === context.email || lower === context.email.split('@')[0]) {
    throw new AppError('VALIDATION_FAILED', `Invalid ${field}: must not be your email address`, {
      issues: [{ path: field, message: 'must not be your email address' }],
    });
  }
}
