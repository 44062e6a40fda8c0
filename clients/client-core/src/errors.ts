import { CombinedGraphQLErrors, ServerError } from '@apollo/client';

/**
 * What to tell a shopper about a failed request, chosen by the error's `extensions.code`
 * (and `extensions.reason` where the server gives one), never a stack trace or raw JSON.
 * Input errors keep the server's own wording: it names the field and what is wrong with it.
 */
const BY_CODE: Record<string, string> = {
  UNAUTHENTICATED: 'Please sign in again: your session has ended.',
  FORBIDDEN: 'Your account is not allowed to do that.',
  NOT_FOUND: 'We could not find that. It may have been removed.',
  RATE_LIMITED: 'Too many requests just now. Please wait a moment and try again.',
  SUBGRAPH_UNAVAILABLE: 'Part of the shop is not answering right now. Please try again shortly.',
  QUERY_TOO_COMPLEX: 'That request asks for too much at once.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.',
  BAD_GATEWAY: 'The shop cannot be reached right now.',
};

const BY_REASON: Record<string, string> = {
  OUT_OF_STOCK: 'Sorry, there is not enough stock left for this.',
  IDEMPOTENCY_KEY_REUSED: 'This order was already submitted with other details. Please reload the page.',
};

export interface ShopError {
  message: string;
  code: string | null;
  field: string | null;
}

export function describeError(error: unknown): ShopError {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : null;
    const reason = typeof first?.extensions?.reason === 'string' ? first.extensions.reason : null;
    const field = typeof first?.extensions?.field === 'string' ? first.extensions.field : null;
    if (reason && BY_REASON[reason]) return { message: BY_REASON[reason]!, code, field };
    if (code === 'RATE_LIMITED' && typeof first?.extensions?.retryAfter === 'number') {
      return { message: `Too many requests just now. Please try again in ${first.extensions.retryAfter} s.`, code, field };
    }
    // The server words input and state conflicts for people ("Only 3 left", "Password too short").
    if (code === 'BAD_USER_INPUT' || code === 'CONFLICT') return { message: first?.message ?? 'Please check your input.', code, field };
    return { message: (code && BY_CODE[code]) ?? first?.message ?? 'Something went wrong.', code, field };
  }
  if (ServerError.is(error)) return { message: 'The shop cannot be reached right now. Please try again.', code: null, field: null };
  if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    return { message: 'You appear to be offline. Check your connection and try again.', code: null, field: null };
  }
  return { message: error instanceof Error ? error.message : 'Something went wrong.', code: null, field: null };
}

export const errorMessage = (error: unknown): string => describeError(error).message;
