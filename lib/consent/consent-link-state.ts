import "server-only";
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";
import { db } from "@/lib/db";

/**
 * The server's record of the admin-consent states it issued (S20). The cookie alone cannot make a
 * state single-use: a page render cannot clear it, and a copied cookie replays as well as the original.
 * So each state is remembered here (as a hash) and the callback consumes it with one conditional
 * UPDATE: of any number of callbacks with the same state, at once or later, exactly one gets it.
 */

type Store = Pick<PrismaClient, "consentLinkState">;

function stateHash(state: string): string {
  return createHash("sha256").update(state).digest("base64url");
}

/** Remembers a state just issued to `sessionId` for `appId`, and forgets the ones that have expired. */
export async function rememberState(input: { state: string; sessionId: string; appId: string; expiresAt: Date }, store: Store = db()): Promise<void> {
  await store.consentLinkState.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await store.consentLinkState.create({
    data: { stateHash: stateHash(input.state), sessionId: input.sessionId, appId: input.appId, expiresAt: input.expiresAt },
  });
}

/**
 * Marks the state used if it was issued to this session for this app, is unexpired and unused. True
 * only for the first callback that brings it back; nothing else is written either way.
 */
export async function consumeState(input: { state: string; sessionId: string; appId: string }, store: Store = db()): Promise<boolean> {
  const now = new Date();
  const { count } = await store.consentLinkState.updateMany({
    where: { stateHash: stateHash(input.state), sessionId: input.sessionId, appId: input.appId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1;
}
