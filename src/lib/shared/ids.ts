/** The shape of every row id (Prisma's cuid): checked before a path or body id reaches a query. */
export const ID_PATTERN = /^[a-z0-9]{8,40}$/;
