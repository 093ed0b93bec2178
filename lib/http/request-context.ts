import "server-only";
import { headers } from "next/headers";
import type { AuditRequestContext } from "@/lib/audit/audit-log";
import { env } from "@/lib/env";
import { CLIENT_IP_HEADER, clientIp } from "./client-ip";

const USER_AGENT_MAX = 512;

/** Client IP (S21: the socket's peer, or the trusted proxies' X-Forwarded-For entry; always a valid address or null) and user agent of this request. */
export async function requestContext(): Promise<AuditRequestContext> {
  const list = await headers();
  return {
    clientIp: clientIp({ socketAddress: list.get(CLIENT_IP_HEADER), forwardedFor: list.get("x-forwarded-for"), trustedHops: env().TRUSTED_PROXY_HOPS }),
    userAgent: list.get("user-agent")?.slice(0, USER_AGENT_MAX) || null,
  };
}
