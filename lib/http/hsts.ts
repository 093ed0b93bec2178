/** HSTS for a year, subdomains included (S7). */
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

/**
 * Strict-Transport-Security for a portal served at `authUrl`: only when that is https. Sent on plain
 * http the header would be ignored by browsers at best, and on a local http set-up it would pin
 * localhost to https for a year.
 */
export function strictTransportSecurity(authUrl: string | undefined): string | null {
  if (!authUrl) return null;
  return new URL(authUrl).protocol === "https:" ? HSTS_VALUE : null;
}
