// Creates an admin, or promotes an existing account to admin:
//   npm run create-admin -- --email ops@soko.africa [--name "Ops Team"]
// The password for a new account is read from ADMIN_PASSWORD or, when unset,
// from standard input (one line), so it never lands in shell history.
// Promoting an existing account keeps its password unless one is given.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { emailSchema, newPasswordSchema } from '../src/lib/shared/auth.ts';
import { createOrPromoteAdmin } from '../src/lib/server/auth/accounts.ts';
import { closeDb, getDb } from '../src/lib/server/db.ts';
import { AppError } from '../src/lib/server/http/errors.ts';

async function readLine(prompt: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  strict: true,
});
if (values.help || !values.email) {
  console.error('usage: npm run create-admin -- --email someone@example.com [--name "Full Name"]');
  process.exit(values.help ? 0 : 2);
}
const email = emailSchema.safeParse(values.email);
if (!email.success) {
  console.error(`--email: ${email.error.issues[0]?.message}`);
  process.exit(2);
}

try {
  const db = getDb();
  const exists = await db.user.findUnique({ where: { email: email.data }, select: { id: true } });
  let password = process.env.ADMIN_PASSWORD || undefined;
  if (!exists && password === undefined) password = await readLine('Password for the new admin: ');
  if (password !== undefined) {
    const ok = newPasswordSchema.safeParse(password);
    if (!ok.success) throw new AppError('VALIDATION_FAILED', `password ${ok.error.issues[0]?.message}`);
  }
  const { user, created } = await createOrPromoteAdmin(db, { email: email.data, name: values.name, password });
  console.log(
    `${created ? 'Created' : 'Promoted'} admin ${user.email} (${user.id}). Their earlier sessions have ended.`,
  );
} catch (err) {
  console.error(err instanceof AppError ? err.message : err);
  process.exitCode = 1;
} finally {
  await closeDb();
}
