import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { InvalidPaymentMethodError, type ChargeRequest } from '../src/providers/paymentProvider.js';
import { createSimulatedProvider } from '../src/providers/simulatedProvider.js';

function charge(paymentMethod: string): ChargeRequest {
  const paymentId = randomUUID();
  return { amountMinor: 500, currency: 'EUR', paymentMethod, idempotencyKey: `payment:${paymentId}`, metadata: { orderId: 'o', paymentId } };
}

describe('simulated provider (Stripe test-card semantics)', () => {
  it.each([
    ['pm_card_visa', { status: 'SUCCEEDED', failureReason: null, clientSecret: null }],
    ['pm_card_mastercard', { status: 'SUCCEEDED', failureReason: null, clientSecret: null }],
    ['pm_card_chargeDeclined', { status: 'FAILED', failureReason: 'generic_decline', clientSecret: null }],
    ['pm_card_chargeDeclinedInsufficientFunds', { status: 'FAILED', failureReason: 'insufficient_funds', clientSecret: null }],
    ['pm_card_authenticationRequired', { status: 'REQUIRES_ACTION', failureReason: null, clientSecret: expect.stringMatching(/^pi_sim_.+_secret_/) }],
    ['pm_card_threeDSecure2Required', { status: 'REQUIRES_ACTION', failureReason: null, clientSecret: expect.stringMatching(/^pi_sim_.+_secret_/) }],
  ])('%s', async (method, expected) => {
    const outcome = await createSimulatedProvider().createAndConfirm(charge(method));
    expect(outcome).toEqual({ ...expected, providerPaymentId: expect.stringMatching(/^pi_sim_/) });
  });

  it('refuses an unknown payment method', async () => {
    await expect(createSimulatedProvider().createAndConfirm(charge('pm_card_amex_unknown'))).rejects.toBeInstanceOf(InvalidPaymentMethodError);
  });

  it('answers a repeated key with the first answer and refuses the key with other parameters', async () => {
    const provider = createSimulatedProvider();
    const request = charge('pm_card_visa');
    const first = await provider.createAndConfirm(request);
    expect(await provider.createAndConfirm(request)).toEqual(first);
    await expect(provider.createAndConfirm({ ...request, amountMinor: 1 })).rejects.toThrow('other parameters');
  });

  it('cancels only what waits for the customer, and refunds only what succeeded', async () => {
    const provider = createSimulatedProvider();
    const waiting = await provider.createAndConfirm(charge('pm_card_authenticationRequired'));
    expect(await provider.cancel(waiting.providerPaymentId!, 'cancel:1')).toMatchObject({ status: 'FAILED', failureReason: 'canceled', clientSecret: null });
    const paid = await provider.createAndConfirm(charge('pm_card_visa'));
    expect(await provider.cancel(paid.providerPaymentId!, 'cancel:2')).toMatchObject({ status: 'SUCCEEDED' });
    const refund = { providerPaymentId: paid.providerPaymentId!, amountMinor: 500, idempotencyKey: 'refund:1', metadata: { orderId: 'o', paymentId: 'p' } };
    const first = await provider.refund(refund);
    expect(first).toEqual({ refundId: expect.stringMatching(/^re_sim_/), status: 'succeeded' });
    expect(await provider.refund(refund)).toEqual(first);
    await expect(provider.refund({ ...refund, providerPaymentId: waiting.providerPaymentId!, idempotencyKey: 'refund:2' })).rejects.toThrow('cannot be refunded');
  });
});
