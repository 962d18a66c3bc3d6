/**
 * The promotion codes of the promotions page (catalog.ts `PROMOTIONS`): each a one-off coupon
 * (`duration: 'once'`) and a customer-facing code on it, made with `stripe.coupons.create` and
 * `stripe.promotionCodes.create({promotion: {type: 'coupon', coupon}, code, active})`, the shape
 * of stripe@23 (API 2026-10-28). Idempotent: a code that already exists, active or not, is left
 * as it is, so a server on a real test account makes them once.
 */
import type Stripe from 'stripe';
import { PROMOTIONS } from './catalog.js';

export async function ensurePromotionCodes(stripe: Stripe): Promise<void> {
  for (const promotion of PROMOTIONS) {
    // Stripe's list filters by `code` case-insensitively; a code is unique among active codes only,
    // so an inactive EXPIRED from an earlier run counts as made too.
    const existing = await stripe.promotionCodes.list({ code: promotion.code, limit: 1 });
    if (existing.data.length > 0) continue;
    const coupon = await stripe.coupons.create({ duration: 'once', ...promotion.coupon });
    await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: promotion.code, active: promotion.active });
  }
}

/**
 * `ensurePromotionCodes` once, on first need: the promise is kept, or forgotten when it failed so
 * that the next call tries again.
 */
export function oncePromotionCodes(stripe: Stripe): () => Promise<void> {
  let made: Promise<void> | undefined;
  return () => {
    made ??= ensurePromotionCodes(stripe).catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}
