// The admin audit log: written in the same transaction as the action it records.
import type { Db } from '../db.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';

type Tx = Pick<Db, 'auditLog'>;

export interface AuditEntry {
  action: string;
  targetType: 'user' | 'product' | 'order';
  targetId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const toRow = (actorId: string, e: AuditEntry) => ({
  actorId,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  before: (e.before ?? undefined) as Prisma.InputJsonValue | undefined,
  after: (e.after ?? undefined) as Prisma.InputJsonValue | undefined,
});

export async function recordAudit(tx: Tx, actorId: string, e: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: toRow(actorId, e) });
}

/** Several entries of one action at once (e.g. the products of a closed store). */
export async function recordAudits(tx: Tx, actorId: string, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditLog.createMany({ data: entries.map((e) => toRow(actorId, e)) });
}

/**
 * Admins may also act through the sellers' endpoints (product edits, archive,
 * photos, order status): those are admin actions too, so they are audited,
 * while a seller's own changes are not.
 */
export async function auditIfAdmin(tx: Tx, actor: { id: string; role: string }, e: AuditEntry): Promise<void> {
  if (actor.role === 'ADMIN') await recordAudit(tx, actor.id, e);
}

export interface AuditView {
  id: string;
  at: string;
  actor: { id: string; name: string; email: string };
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
}

export async function listAudit(
  db: Db,
  opts: { page: number; perPage: number; targetId?: string },
): Promise<{ items: AuditView[]; total: number }> {
  const where = opts.targetId ? { targetId: opts.targetId } : {};
  const [rows, total] = await Promise.all([
    db.auditLog.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (opts.page - 1) * opts.perPage,
      take: opts.perPage,
      include: { actor: { select: { id: true, name: true, email: true } } },
    }),
    db.auditLog.count({ where }),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      actor: r.actor,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      before: r.before,
      after: r.after,
    })),
    total,
  };
}
