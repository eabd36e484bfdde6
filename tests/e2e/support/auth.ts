// Shared by the e2e server and the specs: the server's JWT secret (so attack
// tokens can be signed with the right key) and helpers to sign in as the demo accounts.
import type { APIRequestContext } from '@playwright/test';

export const E2E_JWT_SECRET = 'e2e-only-secret-never-used-anywhere-else-0123456789';
export const DEMO_PASSWORD = 'soko-demo-2026';

/** One account per column of the role matrix, all from the demo seed. */
export const ACCOUNTS = {
  buyer: 'wanjiku@demo.soko.africa',
  seller: 'amani@demo.soko.africa',
  otherSeller: 'karen.leather@demo.soko.africa',
  admin: 'admin@demo.soko.africa',
} as const;
/** The role matrix's columns: the accounts above, nobody, and `suspended` (made and suspended by the matrix itself). */
export type Actor = 'anonymous' | 'suspended' | keyof typeof ACCOUNTS;

/** Signs in through the API; returns the token and the Set-Cookie headers. */
export async function signIn(request: APIRequestContext, email: string, password = DEMO_PASSWORD) {
  const res = await request.post('/api/auth/login', { data: { email, password } });
  if (res.status() !== 200) throw new Error(`sign-in as ${email} failed: ${res.status()} ${await res.text()}`);
  const body = (await res.json()) as { token: string; user: { id: string; email: string; name: string; role: string } };
  return {
    ...body,
    setCookies: res
      .headersArray()
      .filter((h) => h.name.toLowerCase() === 'set-cookie')
      .map((h) => h.value),
  };
}
