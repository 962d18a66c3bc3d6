/**
 * Resume on reload: a start route gives a shopper (known by a cookie) the same open session
 * back, with the selection its update route last applied, so a reloaded page shows the
 * shopper's choices; a session that ended, or an unknown cookie, gets a new one.
 *
 * The selections are kept in this process's memory, keyed by session id: nothing here reads an
 * emulator's internals, so it works the same against Stripe (and is forgotten on restart, when
 * the page falls back to what its controls render).
 */
import type { Request, Response } from 'express';
import { HttpError } from './validate.js';

/** What a page sent and the update route applied, as the page names it. */
export type AppliedSelection = Record<string, unknown>;

/** How many sessions' selections are kept; the oldest is forgotten first. */
const KEPT = 10_000;

export interface StartRoute<T extends object> {
  /** The cookie naming this route's session. */
  cookie: string;
  /** The session `id` names, as the start route answers it, if it is still open; else `null`. Unknown or malformed: `null`. */
  reopen(id: string): Promise<T | null>;
  /** A new session: its id and the start route's answer. */
  create(): Promise<{ id: string; reply: T }>;
}

export function createResume() {
  const applied = new Map<string, AppliedSelection>();

  return {
    /** Called by an update route once it applied `selection` to session `id`. */
    applied(id: string, selection: AppliedSelection): void {
      applied.delete(id); // re-inserted last: the newest is kept longest
      applied.set(id, selection);
      if (applied.size > KEPT) applied.delete(applied.keys().next().value as string);
    },

    /** Answers a start route: the cookie's session if still open, with its selection; else a new one. */
    async start<T extends object>(req: Request, res: Response, route: StartRoute<T>): Promise<void> {
      const id = readCookie(req, route.cookie);
      const open = id ? await route.reopen(id) : null;
      res.set('Cache-Control', 'no-store');
      if (id && open) {
        res.json({ ...open, ...(applied.has(id) && { selection: applied.get(id) }) });
        return;
      }
      if (id) applied.delete(id);
      const made = await route.create();
      // HttpOnly: no script needs it. SameSite=Lax: not sent on another site's POST.
      res.append('Set-Cookie', `${route.cookie}=${encodeURIComponent(made.id)}; HttpOnly; SameSite=Lax; Path=/`);
      res.json(made.reply);
    },
  };
}

export type Resume = ReturnType<typeof createResume>;

/** `read()`'s value, or `null` when it refuses with an `HttpError` (a malformed or unknown id). */
export async function unlessRefused<T>(read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HttpError) return null;
    throw error;
  }
}

/** The value of cookie `name` on the request, or `undefined`. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
