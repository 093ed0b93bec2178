import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { isDraining } from "@/lib/jobs/lifecycle";

/**
 * Readiness of this portal instance, for a load balancer: it is not shutting down, its database
 * answers, and the tenant's token endpoint (Entra's, or the simulated issuer's) can be reached, without
 * which no one can sign in and no Graph call gets a token. Each check has its own short timeout, so a
 * hung dependency makes the probe fail rather than hang. Says which check failed, never why.
 */
export type Readiness = { ready: boolean; checks: { shuttingDown: boolean; database: "ok" | "unavailable"; tokenEndpoint: "ok" | "unreachable" } };

const TIMEOUT_MS = 3_000;

const globalForReadiness = globalThis as unknown as { portalTokenEndpoint?: { issuer: string; url: string } };

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), TIMEOUT_MS)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The token endpoint the issuer's discovery document names (fetched once per process). */
async function tokenEndpoint(issuer: string): Promise<string> {
  const known = globalForReadiness.portalTokenEndpoint;
  if (known?.issuer === issuer) return known.url;
  const reply = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(TIMEOUT_MS), cache: "no-store" });
  if (!reply.ok) throw new Error(`discovery answered ${reply.status}`);
  const url = ((await reply.json()) as { token_endpoint?: unknown }).token_endpoint;
  if (typeof url !== "string" || !url.startsWith("https://")) throw new Error("discovery names no https token endpoint");
  globalForReadiness.portalTokenEndpoint = { issuer, url };
  return url;
}

/** Reachable: the endpoint answers HTTP at all. An empty POST gets Entra's "invalid_request" (400), which is an answer. */
async function tokenEndpointReachable(issuer: string): Promise<boolean> {
  try {
    const reply = await fetch(await tokenEndpoint(issuer), { method: "POST", body: new URLSearchParams(), signal: AbortSignal.timeout(TIMEOUT_MS), cache: "no-store" });
    await reply.body?.cancel();
    return reply.status < 500;
  } catch {
    return false;
  }
}

async function databaseAnswers(): Promise<boolean> {
  try {
    await withTimeout(db().$queryRaw`SELECT 1`);
    return true;
  } catch {
    return false;
  }
}

export async function readiness(): Promise<Readiness> {
  const shuttingDown = isDraining();
  const [database, token] = await Promise.all([databaseAnswers(), tokenEndpointReachable(env().tenant.issuer)]);
  return {
    ready: !shuttingDown && database && token,
    checks: { shuttingDown, database: database ? "ok" : "unavailable", tokenEndpoint: token ? "ok" : "unreachable" },
  };
}
