-- Database objects Prisma's schema language cannot express, applied after
-- every schema sync (prisma/sync.ts). Each statement is idempotent. One
-- statement per block: blocks are separated by a blank line.

-- Stock can never go below zero, whatever the application does.
DO $$ BEGIN
  ALTER TABLE "Product" ADD CONSTRAINT "Product_stock_nonnegative" CHECK ("stock" >= 0);
EXCEPTION WHEN duplicate_object THEN NULL; END $$

DO $$ BEGIN
  ALTER TABLE "Product" ADD CONSTRAINT "Product_price_nonnegative" CHECK ("price" >= 0);
EXCEPTION WHEN duplicate_object THEN NULL; END $$

DO $$ BEGIN
  ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_quantity_positive" CHECK ("quantity" > 0);
EXCEPTION WHEN duplicate_object THEN NULL; END $$

DO $$ BEGIN
  ALTER TABLE "Review" ADD CONSTRAINT "Review_rating_range" CHECK ("rating" BETWEEN 1 AND 5);
EXCEPTION WHEN duplicate_object THEN NULL; END $$

-- Human-readable order numbers (SOKO-2026-000123) without a race.
CREATE SEQUENCE IF NOT EXISTS "order_number_seq" START 1000

-- Keyword search (src/lib/server/catalog/search.ts): title weighs most, then
-- the description. Category and store names are matched through their own
-- small tables. An expression index, so the query must repeat this expression.
CREATE INDEX IF NOT EXISTS "Product_search_idx" ON "Product" USING GIN ((setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', "description"), 'C')))
