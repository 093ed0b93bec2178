import "server-only";
import { db, dbPool } from "@/lib/db";
import { seal, unseal } from "@/lib/crypto";
import { env } from "@/lib/env";
import type { StoredTokens, TokenAccess, TokenStore } from "@/lib/graph/tokens";

const TOKEN_PURPOSE = "graph-tokens";
/** lastSeenAt is written at most this often, so reading a page does not always write a row. */
const TOUCH_INTERVAL_MS = 60_000;

/** Creates the server-side session of a sign-in, with its Graph tokens sealed (S5, S6). */
export async function createSession(identity: { oid: string; tid: string; upn: string }, tokens: StoredTokens): Promise<string> {
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
  // Asked for every signed-in page (proxy.ts, or auth() when the proxy did not): one plain statement on the
  // pool Prisma shares, since Prisma compiles each query it runs and that compilation was the larger part of the check.
  const { rows } = await dbPool().query<{ expiresAt: Date; lastSeenAt: Date }>(`SELECT "expiresAt", "lastSeenAt" FROM "UserSession" WHERE id = $1::uuid`, [id]);
  const row = rows[0];
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

/**
 * The session's Graph tokens, sealed at rest. The lock is a row lock held in a transaction (reads and
 * writes under it go through that transaction), so one refresh at a time per session across every
 * portal instance sharing the database.
 */
export function sessionTokenStore(id: string): TokenStore {
  const { AUTH_SECRET } = env();
  const access = (client: Pick<ReturnType<typeof db>, "userSession">): TokenAccess => ({
    async load() {
      const row = await client.userSession.findUnique({ where: { id }, select: { tokenCipher: true } });
      return row?.tokenCipher ? (JSON.parse(unseal(row.tokenCipher, AUTH_SECRET, TOKEN_PURPOSE)) as StoredTokens) : null;
    },
    async save(tokens) {
      await client.userSession.update({ where: { id }, data: { tokenCipher: seal(JSON.stringify(tokens), AUTH_SECRET, TOKEN_PURPOSE) } });
    },
  });
  return {
    ...access(db()),
    lock(work) {
      return db().$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM "UserSession" WHERE id = ${id}::uuid FOR UPDATE`;
          return work(access(tx));
        },
        { timeout: 30_000, maxWait: 30_000 },
      );
    },
  };
}
