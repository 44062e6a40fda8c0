import type { PaymentStatus } from './paymentStatus.js';

/** One payment attempt for an order. Money in integer minor units of `currency`. */
export interface Payment {
  id: string;
  orderId: string;
  /** The signed-in user who asked for it; only they and ADMINs see its details. */
  userId: string;
  status: PaymentStatus;
  amountMinor: number;
  /** What refunds returned of `amountMinor` so far. */
  refundedMinor: number;
  currency: string;
  provider: string;
  paymentMethod: string;
  providerPaymentId: string | null;
  clientSecret: string | null;
  failureReason: string | null;
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What the provider says about a payment, in our terms; what a transition records with it. */
export interface PaymentUpdate {
  providerPaymentId?: string | null;
  clientSecret?: string | null;
  failureReason?: string | null;
}
