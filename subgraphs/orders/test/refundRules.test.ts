import { describe, expect, it } from '@jest/globals';
import { AppError } from '@shop/errors';
import { allocateDiscount } from '../src/promotionRules.js';
import { planRefund, type RefundableLine } from '../src/refundRules.js';

// An order of 3 x 19.99 and 1 x 5.00 with 10 % off (6.50, split pro rata) and 4.90 shipping.
const SUBTOTAL = 3 * 1999 + 500;
const DISCOUNT = 650;
const SHIPPING = 490;
const TOTAL = SUBTOTAL - DISCOUNT + SHIPPING;
const [JACKET_SHARE, SOCKS_SHARE] = allocateDiscount([3 * 1999, 500], DISCOUNT);

function lines(refunded: [number, number] = [0, 0]): RefundableLine[] {
  return [
    { productId: 'jacket', quantity: 3, unitPriceMinor: 1999, discountMinor: JACKET_SHARE!, refundedQuantity: refunded[0] },
    { productId: 'socks', quantity: 1, unitPriceMinor: 500, discountMinor: SOCKS_SHARE!, refundedQuantity: refunded[1] },
  ];
}

const order = (refundedMinor = 0) => ({ totalMinor: TOTAL, refundedMinor, currency: 'EUR' });

describe('planRefund', () => {
  it("returns a unit's price less its cumulative share of the line's discount, without shipping", () => {
    expect(JACKET_SHARE).toBe(600);
    const plan = planRefund(order(), lines(), [{ productId: 'jacket', quantity: 1 }]);
    expect(plan).toEqual({ items: [{ productId: 'jacket', quantity: 1, amountMinor: 1999 - 200 }], shippingMinor: 0, amountMinor: 1799, completes: false });
  });

  it('returns the same in steps as at once, and the shipping with the refund that leaves nothing', () => {
    const odd = [{ productId: 'jacket', quantity: 3, unitPriceMinor: 1000, discountMinor: 100, refundedQuantity: 0 }];
    const oddOrder = { totalMinor: 3000 - 100 + 490, refundedMinor: 0, currency: 'EUR' };
    const one = planRefund(oddOrder, odd, [{ productId: 'jacket', quantity: 1 }]);
    // 100 / 3 = 33.3: the first unit keeps 33 back, the first two 67 (not 66), all three 100.
    expect(one.amountMinor).toBe(1000 - 33);
    const two = planRefund({ ...oddOrder, refundedMinor: one.amountMinor }, [{ ...odd[0]!, refundedQuantity: 1 }], [{ productId: 'jacket', quantity: 1 }]);
    expect(two.amountMinor).toBe(1000 - 34);
    const three = planRefund({ ...oddOrder, refundedMinor: one.amountMinor + two.amountMinor }, [{ ...odd[0]!, refundedQuantity: 2 }], [{ productId: 'jacket', quantity: 1 }]);
    expect(three).toMatchObject({ amountMinor: 1000 - 33 + 490, shippingMinor: 490, completes: true });
    expect(one.amountMinor + two.amountMinor + three.amountMinor).toBe(oddOrder.totalMinor);
    expect(planRefund(oddOrder, odd, [{ productId: 'jacket', quantity: 3 }]).amountMinor).toBe(oddOrder.totalMinor);
  });

  it('gives back the total charged in all, never more, whichever way the lines are split', () => {
    const first = planRefund(order(), lines(), [{ productId: 'jacket', quantity: 2 }]);
    const rest = planRefund(order(first.amountMinor), lines([2, 0]), [
      { productId: 'jacket', quantity: 1 },
      { productId: 'socks', quantity: 1 },
    ]);
    expect(rest.completes).toBe(true);
    expect(rest.shippingMinor).toBe(SHIPPING);
    expect(first.amountMinor + rest.amountMinor).toBe(TOTAL);
  });

  it('refuses what is not on the order, more than is left, nothing, and a product twice', () => {
    const refused = (items: { productId: string; quantity: number }[], refunded: [number, number] = [0, 0]) => {
      try {
        planRefund(order(), lines(refunded), items);
      } catch (error) {
        if (error instanceof AppError) return [error.extensions.code, error.extensions.field];
        throw error;
      }
      return null;
    };
    expect(refused([{ productId: 'hat', quantity: 1 }])).toEqual(['BAD_USER_INPUT', 'items[0].productId']);
    expect(refused([{ productId: 'socks', quantity: 1 }], [0, 1])).toEqual(['BAD_USER_INPUT', 'items[0].quantity']);
    expect(refused([{ productId: 'jacket', quantity: 4 }])).toEqual(['BAD_USER_INPUT', 'items[0].quantity']);
    expect(refused([{ productId: 'jacket', quantity: 1.5 }])).toEqual(['BAD_USER_INPUT', 'items[0].quantity']);
    expect(refused([])).toEqual(['BAD_USER_INPUT', 'items']);
    expect(refused([{ productId: 'jacket', quantity: 1 }, { productId: 'jacket', quantity: 1 }])).toEqual(['BAD_USER_INPUT', 'items[1].productId']);
  });

  it('refunds the line of the variant named when the order holds a product in two sizes, and asks which otherwise', () => {
    const sized: RefundableLine[] = [
      { productId: 'tee', variantId: 'tee-m', quantity: 2, unitPriceMinor: 1800, discountMinor: 0, refundedQuantity: 0 },
      { productId: 'tee', variantId: 'tee-xxl', quantity: 1, unitPriceMinor: 2115, discountMinor: 0, refundedQuantity: 0 },
    ];
    const sizedOrder = { totalMinor: 2 * 1800 + 2115 + 490, refundedMinor: 0, currency: 'EUR' };
    const xxl = planRefund(sizedOrder, sized, [{ productId: 'tee', variantId: 'tee-xxl', quantity: 1 }]);
    expect(xxl).toEqual({ items: [{ productId: 'tee', variantId: 'tee-xxl', quantity: 1, amountMinor: 2115 }], shippingMinor: 0, amountMinor: 2115, completes: false });
    const both = planRefund(sizedOrder, sized, [
      { productId: 'tee', variantId: 'tee-m', quantity: 2 },
      { productId: 'tee', variantId: 'tee-xxl', quantity: 1 },
    ]);
    expect(both).toMatchObject({ amountMinor: sizedOrder.totalMinor, shippingMinor: 490, completes: true });
    const field = (items: Array<{ productId: string; variantId?: string; quantity: number }>) => {
      try {
        planRefund(sizedOrder, sized, items);
      } catch (error) {
        if (error instanceof AppError) return error.extensions.field;
        throw error;
      }
      return null;
    };
    expect(field([{ productId: 'tee', quantity: 1 }])).toBe('items[0].variantId');
    expect(field([{ productId: 'tee', variantId: 'tee-s', quantity: 1 }])).toBe('items[0].variantId');
    // One line of the product: named by the product alone, as before variants.
    const one = planRefund({ ...sizedOrder, totalMinor: 2115 }, [sized[1]!], [{ productId: 'tee', quantity: 1 }]);
    expect(one.items).toEqual([{ productId: 'tee', variantId: 'tee-xxl', quantity: 1, amountMinor: 2115 }]);
  });
});
