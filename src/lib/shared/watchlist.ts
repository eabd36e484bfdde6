// Watchlist request shapes (POST /api/watchlist, DELETE /api/watchlist/{productId}).
import { z } from './zod.ts';

export const productIdSchema = z.string().regex(/^[a-z0-9]{8,40}$/, 'must be a product id');

export const watchSchema = z.object({ productId: productIdSchema }).strict();
