// Watchlist request shapes (POST /api/watchlist, DELETE /api/watchlist/{productId}).
import { z } from './zod.ts';
import { ID_PATTERN } from './ids.ts';

export const productIdSchema = z.string().regex(ID_PATTERN, 'must be a product id');

export const watchSchema = z.object({ productId: productIdSchema }).strict();
