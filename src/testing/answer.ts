// What the emulated provider APIs of the fakes answer (Payrails' backend, Toast's payment-intent
// API), and how an SDK stand-in reads a refusal. A remote server's answers take the same shape,
// so a fake reads them the same way, in memory or not.

/** An HTTP answer: its status and its JSON body (`{error}` when refused). */
export interface FakeAnswer<T = unknown> {
  status: number;
  body: T;
}

/** The body of a refusal. */
export interface FakeErrorBody {
  error: string;
}

export const answer = <T>(status: number, body: T): FakeAnswer<T> => ({ status, body });

export const refusal = (status: number, error: string): FakeAnswer<FakeErrorBody> => ({ status, body: { error } });

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** The words of a refused answer: its `error` (or `message`), else its status. */
export function errorOf({ status, body }: FakeAnswer): string {
  const { error, message } = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; message?: unknown };
  if (typeof error === 'string' && error) return error;
  if (typeof message === 'string' && message) return message;
  return `HTTP ${status}`;
}

/** A remote call that gave no answer at all (the network failed) becomes status 0, its reason the error. */
export async function ask(call: () => Promise<FakeAnswer>): Promise<FakeAnswer> {
  try {
    return await call();
  } catch (reason) {
    const message = reason instanceof Error ? reason.message : String(reason);
    return refusal(0, `The request failed: ${message}`);
  }
}
