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

-- Checkout's one write statement (src/lib/server/orders/checkout.ts) runs without an explicit
-- transaction; when a line's stock moved since the read, it calls this with false, and the
-- error rolls back every row the statement wrote (SQLSTATE SK001, see isStockMoved).
CREATE OR REPLACE FUNCTION "checkout_assert"(ok boolean) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF NOT ok THEN
    RAISE EXCEPTION 'checkout: stock moved' USING ERRCODE = 'SK001';
  END IF;
  RETURN true;
END $$

-- Human-readable order numbers (SOKO-2026-000123) without a race.
CREATE SEQUENCE IF NOT EXISTS "order_number_seq" START 1000

-- Keyword search (src/lib/server/catalog/search.ts): title weighs most, then
-- the description, in "searchVector" (GIN-indexed in schema.prisma), kept up to
-- date by this trigger. Category and store names are matched through their
-- own small tables. (Replaces an expression index that made every ranked row
-- parse its text again: 60-120 ms per search at 10,000 products.)
CREATE OR REPLACE FUNCTION "product_search_vector"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchVector" := setweight(to_tsvector('english', NEW."title"), 'A') || setweight(to_tsvector('english', NEW."description"), 'C');
  RETURN NEW;
END $$

CREATE OR REPLACE TRIGGER "Product_search_vector" BEFORE INSERT OR UPDATE OF "title", "description" ON "Product" FOR EACH ROW EXECUTE FUNCTION "product_search_vector"()

UPDATE "Product" SET "title" = "title" WHERE "searchVector" IS NULL

DROP INDEX IF EXISTS "Product_search_idx"
