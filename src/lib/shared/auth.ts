// Account input schemas and rules shared by the API and the sign-in/sign-up
// islands. Strict objects: unknown fields (role: 'ADMIN', tokenVersion...) are
// refused rather than ignored, so nothing can be mass-assigned.
import { z } from './zod.ts';

export const ROLES = ['BUYER', 'SELLER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];
/** Roles anyone may pick at sign-up; ADMIN only comes from the CLI or another admin. */
export const SIGNUP_ROLES = ['BUYER', 'SELLER'] as const;

export const PASSWORD_MIN_CHARS = 8;
/** bcrypt ignores everything after 72 bytes: longer passwords are refused, never truncated. */
export const PASSWORD_MAX_BYTES = 72;

export const utf8Length = (s: string) => new TextEncoder().encode(s).length;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

/** The policy for a new password (NIST SP 800-63B / ASVS V2.1): length only, no composition rules. */
export const newPasswordSchema = z
  .string()
  .refine((p) => [...p].length >= PASSWORD_MIN_CHARS, `must be at least ${PASSWORD_MIN_CHARS} characters`)
  .refine((p) => utf8Length(p) <= PASSWORD_MAX_BYTES, `must be at most ${PASSWORD_MAX_BYTES} bytes`);

export const registerInput = z.strictObject({
  email: emailSchema,
  password: newPasswordSchema,
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  role: z.enum(SIGNUP_ROLES).default('BUYER'),
});
export type RegisterInput = z.infer<typeof registerInput>;

export const loginInput = z.strictObject({
  // Not validated as an email: a malformed one simply fails like a wrong password.
  email: z.string().trim().toLowerCase().min(1, 'is required').max(254, 'must be at most 254 characters'),
  password: z.string().min(1, 'is required').max(1024, 'is too long'),
});
export type LoginInput = z.infer<typeof loginInput>;

export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(1024, 'is too long'),
  newPassword: newPasswordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** What the API tells a client about a user: never the hash, status or token version. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}
