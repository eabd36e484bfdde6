import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { registerInput } from '../../src/lib/shared/auth.ts';
import {
  authenticate,
  changePassword,
  createOrPromoteAdmin,
  INVALID_CREDENTIALS,
  registerUser,
} from '../../src/lib/server/auth/accounts.ts';
import { verifyPassword } from '../../src/lib/server/auth/password.ts';
import { AppError } from '../../src/lib/server/http/errors.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { systemAdmin } from '../helpers/fixtures.ts';
import { changeRole, setUserStatus } from '../../src/lib/server/admin/users.ts';

const PASSWORD = 'kilimani sunrise 2026';
const input = (over: Record<string, unknown>) =>
  registerInput.parse({ email: 'someone@example.com', password: PASSWORD, name: 'Someone', ...over });

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describeEachEngine('accounts', (ctx) => {
  it('registers a buyer with a normalized email, a bcrypt hash and a profile; never returns the hash', async () => {
    const user = await registerUser(ctx().db, input({ email: '  Wanjiru.K@Example.COM ', name: ' Wanjiru ' }));
    expect(user).toEqual({ id: expect.any(String), email: 'wanjiru.k@example.com', name: 'Wanjiru', role: 'BUYER' });
    expect(Object.keys(user)).not.toContain('passwordHash');
    const row = await ctx().db.user.findUniqueOrThrow({ where: { id: user.id }, include: { profile: true } });
    expect(row.passwordHash).toMatch(/^\$2[aby]\$04\$/); // BCRYPT_ROUNDS=4 in tests
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(true);
    expect(row.profile?.displayName).toBe('Wanjiru');
  });

  it('gives a seller an empty store profile to fill in', async () => {
    const user = await registerUser(ctx().db, input({ email: 'maker@example.com', role: 'SELLER' }));
    expect(user.role).toBe('SELLER');
    const profile = await ctx().db.profile.findUniqueOrThrow({ where: { userId: user.id } });
    expect(profile).toMatchObject({ storeName: null, handle: null, description: '' });
  });

  it('refuses a taken email (any case) with a clear 409', async () => {
    await registerUser(ctx().db, input({ email: 'taken@example.com' }));
    const err = await caught(registerUser(ctx().db, input({ email: 'TAKEN@example.com' })));
    expect(err.status).toBe(409);
    expect(err.message).toMatch(/already exists/);
  });

  it('refuses common passwords and the email as password', async () => {
    const common = await caught(registerUser(ctx().db, input({ email: 'c1@example.com', password: 'Password1' })));
    expect(common.status).toBe(400);
    expect(common.message).toBe('Invalid body.password: this password is too common; choose another');
    const own = await caught(
      registerUser(ctx().db, input({ email: 'c2longname@example.com', password: 'c2longname' })),
    );
    expect(own.status).toBe(400);
    expect(await ctx().db.user.count({ where: { email: { in: ['c1@example.com', 'c2longname@example.com'] } } })).toBe(
      0,
    );
  });

  it('logs in with the right password; every failure is the same 401', async () => {
    const user = await registerUser(ctx().db, input({ email: 'login@example.com' }));
    const ok = await authenticate(ctx().db, { email: 'login@example.com', password: PASSWORD });
    expect(ok).toMatchObject({ id: user.id, role: 'BUYER', tokenVersion: 0 });

    const wrong = await caught(authenticate(ctx().db, { email: 'login@example.com', password: 'not the password' }));
    const unknown = await caught(authenticate(ctx().db, { email: 'nobody@example.com', password: 'not the password' }));
    await setUserStatus(ctx().db, (await systemAdmin(ctx().db)).id, user.id, 'SUSPENDED');
    const suspended = await caught(authenticate(ctx().db, { email: 'login@example.com', password: PASSWORD }));
    for (const e of [wrong, unknown, suspended]) {
      expect({ status: e.status, code: e.code, message: e.message }).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
        message: INVALID_CREDENTIALS,
      });
    }
  });

  it('never signs in with a password longer than 72 bytes, even when bcrypt would truncate it to a match', async () => {
    const exactly72 = 'nairobi national park at dusk, '.repeat(3).slice(0, 72);
    await registerUser(ctx().db, input({ email: 'long@example.com', password: exactly72 }));
    await expect(authenticate(ctx().db, { email: 'long@example.com', password: exactly72 })).resolves.toBeTruthy();
    const longer = await caught(authenticate(ctx().db, { email: 'long@example.com', password: `${exactly72}!` }));
    expect({ status: longer.status, message: longer.message }).toEqual({ status: 401, message: INVALID_CREDENTIALS });
  });

  it('takes similar time for an unknown email and a wrong password (dummy hash compare)', async () => {
    await registerUser(ctx().db, input({ email: 'timing@example.com' }));
    // Warm the dummy hash and the query plans.
    await caught(authenticate(ctx().db, { email: 'nobody-warm@example.com', password: 'x' }));
    // The fastest of 15 runs: load on a shared machine only ever adds time, so
    // the minimum is the steady cost of each path.
    const time = async (email: string) => {
      let best = Infinity;
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        await caught(authenticate(ctx().db, { email, password: 'wrong password here' }));
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    // Without the dummy compare an unknown email skips bcrypt entirely; both paths
    // must cost a bcrypt compare. Measured up to 3 times against scheduling noise.
    let ratio = 0;
    for (let attempt = 0; attempt < 3 && !(ratio > 0.5 && ratio < 2); attempt++) {
      const known = await time('timing@example.com');
      const unknown = await time('nobody@example.com');
      ratio = unknown / known;
    }
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('changes the password only with the current one, and bumps the token version', async () => {
    const user = await registerUser(ctx().db, input({ email: 'change@example.com' }));
    const bad = await caught(
      changePassword(ctx().db, user.id, { currentPassword: 'not it at all', newPassword: 'a brand new phrase' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/currentPassword/);
    const common = await caught(
      changePassword(ctx().db, user.id, { currentPassword: PASSWORD, newPassword: 'iloveyou123' }),
    );
    expect(common.message).toMatch(/newPassword: this password is too common/);

    const updated = await changePassword(ctx().db, user.id, {
      currentPassword: PASSWORD,
      newPassword: 'a brand new phrase',
    });
    expect(updated.tokenVersion).toBe(1);
    await expect(
      authenticate(ctx().db, { email: 'change@example.com', password: 'a brand new phrase' }),
    ).resolves.toBeTruthy();
    expect((await caught(authenticate(ctx().db, { email: 'change@example.com', password: PASSWORD }))).status).toBe(
      401,
    );
  });

  it('creates an admin, or promotes an existing account (ending its sessions)', async () => {
    const made = await createOrPromoteAdmin(ctx().db, { email: 'ops@example.com', password: 'ops team long phrase' });
    expect(made).toMatchObject({ created: true, user: { role: 'ADMIN', email: 'ops@example.com' } });

    const buyer = await registerUser(ctx().db, input({ email: 'promote@example.com' }));
    const promoted = await createOrPromoteAdmin(ctx().db, { email: 'promote@example.com' });
    expect(promoted).toMatchObject({ created: false, user: { id: buyer.id, role: 'ADMIN' } });
    const row = await ctx().db.user.findUniqueOrThrow({ where: { id: buyer.id } });
    expect(row.tokenVersion).toBe(1);
    // Password kept: the account still signs in with it.
    await expect(authenticate(ctx().db, { email: 'promote@example.com', password: PASSWORD })).resolves.toMatchObject({
      role: 'ADMIN',
    });
    expect((await caught(createOrPromoteAdmin(ctx().db, { email: 'new-no-pass@example.com' }))).status).toBe(400);
  });
});
