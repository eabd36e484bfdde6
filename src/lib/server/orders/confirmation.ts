// The confirmation of one checkout, for the buyer who placed it: its orders and
// the same WhatsApp link POST /api/orders answered with.
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import type { CheckoutResult, OrderSummary } from '../../shared/orders.ts';
import { orderConfirmationMessage, whatsappLink } from '../../shared/whatsapp.ts';
import { loadOrderSummaries } from './queries.ts';

export async function getCheckoutConfirmation(
  db: Db,
  buyerId: string,
  reference: string,
  whatsappNumber: string,
): Promise<CheckoutResult> {
  const orders = await loadOrderSummaries(db, { buyerId, reference });
  if (orders.length === 0) throw new AppError('NOT_FOUND', 'Checkout not found');
  return { reference, orders, whatsappUrl: whatsappLink(whatsappNumber, orderConfirmationMessage(orders)) };
}

/** The WhatsApp confirmation link for one order, as on its page. */
export function orderWhatsappUrl(order: OrderSummary, whatsappNumber: string): string {
  return whatsappLink(whatsappNumber, orderConfirmationMessage([order]));
}
