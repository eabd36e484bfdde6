// A public store page rendered on demand (/live/s/{handle} for stores changed
// since the build, /s/{handle} for handles the build did not know): the page's
// data, a redirect for an old handle of a renamed store, or nothing (404).
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import { getFilterOptions, getStorePage } from '../catalog/pages.ts';
import { getStoreProfile, resolveHandleAlias, type StoreProfile } from './store-profile.ts';

export type StorePageData = Awaited<ReturnType<typeof getStorePage>> & {
  profile: StoreProfile;
  options: Awaited<ReturnType<typeof getFilterOptions>>;
};

export async function loadStorePage(
  db: Db,
  handle: string,
): Promise<{ kind: 'page'; data: StorePageData } | { kind: 'redirect'; location: string } | { kind: 'missing' }> {
  if (!/^[a-z0-9][a-z0-9-]{0,59}$/.test(handle)) return { kind: 'missing' };
  try {
    const page = await getStorePage(db, handle);
    const [options, profile] = await Promise.all([getFilterOptions(db), getStoreProfile(db, page.store.id)]);
    return { kind: 'page', data: { ...page, options, profile } };
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 404) throw err;
  }
  const moved = await resolveHandleAlias(db, handle);
  return moved ? { kind: 'redirect', location: `/s/${moved}` } : { kind: 'missing' };
}
