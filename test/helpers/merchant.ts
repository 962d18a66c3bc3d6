import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Selection } from '../../src/types.js';

export const ENDPOINT = 'http://shop.test/update-checkout';

export interface ReceivedRequest {
  /** The default body; `payment_intent_id` in place of `checkout_session_id` on Payment Intents. */
  body: { checkout_session_id: string; payment_intent_id?: string; selection: Selection; changes: Selection };
  idempotencyKey: string | null;
}

export interface MerchantBehaviour {
  /** Milliseconds before each reply. */
  latencyMs?: number;
  /** Replies for the n-th request (0-based); `undefined` means accept the selection. */
  reply?: (n: number, request: ReceivedRequest) => Response | undefined | Promise<Response | undefined>;
}

/**
 * The merchant's update endpoint, as msw intercepts it: it records every request, counts how
 * many were in flight at once, and on success tells the fake Stripe what it accepted, as the
 * real server would by updating the session's line items.
 */
export function useMerchantServer() {
  const state = {
    requests: [] as ReceivedRequest[],
    inFlight: 0,
    maxInFlight: 0,
    behaviour: {} as MerchantBehaviour,
    accepted: null as Selection | null,
    /** Adds handlers for one test (removed after it), e.g. a client-secret endpoint. */
    use: (...handlers: Parameters<ReturnType<typeof setupServer>['use']>) => server.use(...handlers),
    /** Where an accepted selection goes: each test points it at its fake Stripe. */
    accept: (_selection: Selection): void => {},
  };
  const server = setupServer(
    http.post(ENDPOINT, async ({ request }) => {
      const received: ReceivedRequest = { body: await request.json() as ReceivedRequest['body'], idempotencyKey: request.headers.get('Idempotency-Key') };
      const n = state.requests.push(received) - 1;
      state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      try {
        if (state.behaviour.latencyMs) await delay(state.behaviour.latencyMs);
        const custom = await state.behaviour.reply?.(n, received);
        if (custom) return custom;
        state.accepted = received.body.selection;
        state.accept(received.body.selection);
        return HttpResponse.json({ id: received.body.checkout_session_id, amount_total: 0 });
      } finally {
        state.inFlight--;
      }
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    state.requests = [];
    state.inFlight = 0;
    state.maxInFlight = 0;
    state.behaviour = {};
    state.accepted = null;
    state.accept = () => {};
  });
  afterAll(() => server.close());
  return state;
}

/**
 * The rejections nobody handled while `scenario` ran and for `settleMs` after it, which the
 * library promises never to cause. Vitest's own listeners are set aside meanwhile, so a leak
 * fails the one test that caused it, with the reasons, and not the whole run.
 */
export async function unhandledRejectionsOf(scenario: () => unknown, settleMs = 30): Promise<unknown[]> {
  const seen: unknown[] = [];
  const others = process.listeners('unhandledRejection');
  const onRejection = (reason: unknown) => void seen.push(reason);
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', onRejection);
  try {
    await scenario();
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    process.off('unhandledRejection', onRejection);
    for (const listener of others) process.on('unhandledRejection', listener);
  }
  return seen;
}

/** Every unhandled rejection while the file's tests run, for an `afterEach` to check. */
export function trackUnhandledRejections(): unknown[] {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  beforeAll(() => void process.on('unhandledRejection', onRejection));
  afterAll(() => void process.off('unhandledRejection', onRejection));
  return seen;
}
