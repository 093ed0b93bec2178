import { isIP } from "node:net";

/**
 * The header the portal's own server (scripts/portal-server.mjs) sets to the TCP peer's address on every
 * request, after deleting any copy the client sent. Next.js does not give route handlers or server
 * actions the socket, and X-Forwarded-For is whatever the client wrote unless a proxy we trust rewrote it.
 */
export const CLIENT_IP_HEADER = "x-portal-client-ip";

const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const BRACKETED_IPV6 = /^\[([^\]]+)\](?::\d{1,5})?$/;
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * One address as the audit trail keeps it, or null when the text is not an IP address (S21): never a
 * client's free text. Accepts the port some proxies append (Azure Application Gateway writes
 * "203.0.113.7:50123") and writes IPv4-mapped IPv6 as plain IPv4.
 */
export function normalizeIp(value: string | null | undefined): string | null {
  if (!value) return null;
  let text = value.trim();
  if (text.length > 64) return null;
  text = BRACKETED_IPV6.exec(text)?.[1] ?? IPV4_WITH_PORT.exec(text)?.[1] ?? text;
  text = IPV4_MAPPED.exec(text)?.[1] ?? text;
  return isIP(text) === 0 ? null : text.toLowerCase();
}

export type ClientIpSources = {
  /** The TCP peer, as the portal's server saw it (CLIENT_IP_HEADER). */
  socketAddress: string | null | undefined;
  /** X-Forwarded-For as received; all values of repeated headers joined with commas. */
  forwardedFor: string | null | undefined;
  /** How many reverse proxies in front of the portal append to X-Forwarded-For (TRUSTED_PROXY_HOPS). */
  trustedHops: number;
};

/**
 * Who sent the request. With no trusted proxy, the socket's peer: X-Forwarded-For is then client-written
 * and ignored. With n trusted proxies, each appends the address it saw, so the n-th entry from the right
 * was written by the outermost trusted proxy about its peer; everything left of it is the client's own
 * text. A chain shorter than configured cannot be attributed, so it gives null rather than a guess.
 */
export function clientIp({ socketAddress, forwardedFor, trustedHops }: ClientIpSources): string | null {
  if (trustedHops <= 0) return normalizeIp(socketAddress);
  const entries = (forwardedFor ?? "").split(",");
  if (!forwardedFor || entries.length < trustedHops) return null;
  return normalizeIp(entries[entries.length - trustedHops]);
}
