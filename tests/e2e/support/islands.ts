// Islands hydrate on idle or on visibility; a key press or click before that is lost,
// and retrying a toggle (open a popover, press again) can close what a late hydration opened.
import { expect, type Locator } from '@playwright/test';

/** Resolves once the island holding `inner` has hydrated: Astro drops the island's `ssr` attribute then. */
export async function hydrated(inner: Locator): Promise<void> {
  await expect(inner.page().locator('astro-island', { has: inner })).not.toHaveAttribute('ssr');
}
