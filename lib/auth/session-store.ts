import "server-only";
import { db } from "@/lib/db";
import { seal } from "@/lib/crypto";
import { env } from "@/lib/env";

/** Graph tokens from sign-in, sealed into the session row; the browser never sees them (S5, S6). */
export type SignInTokens = { accessToken?: string; refreshToken?: string; expiresAt?: number };

const TOKEN_PURPOSE = "graph-tokens";
/** lastSeenAt is written at most this often, so reading a page does not always write a row. */
const TOUCH_INTERVAL_MS = 60_000;

export async function createSession(identity: { oid: string; tid: string; upn: string }, tokens: SignInTokens): Promise<string> {
  const { AUTH_SECRET, SESSION_MAX_HOURS } = env();
  const row = await db().userSession.create({
    data: {
      oid: identity.oid,
      tid: identity.tid,
      upn: identity.upn,
      expiresAt: new Date(Date.now() + SESSION_MAX_HOURS * 3600_000),
      tokenCipher: tokens.accessToken || tokens.refreshToken ? seal(JSON.stringify(tokens), AUTH_SECRET, TOKEN_PURPOSE) : null,
    },
    select: { id: true },
  });
  return row.id;
}

/**
 * True while the session exists, has not reached its absolute end and was used within the idle
 * timeout; records the use. A false answer ends the session (the row is removed).
 */
export async function touchSession(id: string): Promise<boolean> {
  const { SESSION_IDLE_MINUTES } = env();
  const row = await db().userSession.findUnique({ where: { id }, select: { expiresAt: true, lastSeenAt: true } });
  if (!row) return false;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now || now - row.lastSeenAt.getTime() > SESSION_IDLE_MINUTES * 60_000) {
    await endSession(id);
    return false;
  }
  if (now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db().userSession.update({ where: { id }, data: { lastSeenAt: new Date(now) } });
  }
  return true;
}

export async function endSession(id: string): Promise<void> {
  await db().userSession.deleteMany({ where: { id } });
}
