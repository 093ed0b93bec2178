/**
 * Tokens and secrets never enter an audit event (S14). Before an event is hashed and stored, its
 * free-form parts (before, after, justification, user agent) pass through here:
 * - members whose key names a secret (token, secret, password, …) are replaced by "[redacted]";
 * - any string that contains something shaped like a JWT (eyJ… with two dots) has it replaced;
 * - NUL characters, which PostgreSQL text cannot hold, are removed.
 */
export const REDACTED = "[redacted]";

// Key names that hold secrets: "token", "access_token", "clientSecret", "passwordCredentials", … —
// matched on the end of the name, so "authorizationPolicy" or "tokenLifetimePolicies" stay readable.
const SECRET_KEY = /(token|secret|password|passwd|pwd|credentials?|apikey|assertion|cookie|privatekey|^authorization|^set-cookie)$/i;
const keyName = (key: string) => key.replace(/[^A-Za-z-]/g, "");
// A compact JWS/JWE: base64url header starting with {" (eyJ), then at least two more dot-separated parts.
const JWT = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,}/g;
// "Bearer <anything>" as found in copied headers.
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi;

export function redactText(text: string): string {
  return text.replace(/\u0000/g, "").replace(JWT, REDACTED).replace(BEARER, `Bearer ${REDACTED}`);
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 32) return REDACTED; // runaway nesting is not evidence anyone needs
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const safeKey = redactText(key);
      out[safeKey] = SECRET_KEY.test(keyName(key)) && item !== null && item !== undefined && item !== "" ? REDACTED : redactValue(item, depth + 1);
    }
    return out;
  }
  return value;
}

/** True when `text` still holds something token-shaped (used by tests and as a last check before insert). */
export function containsToken(text: string): boolean {
  JWT.lastIndex = 0;
  return JWT.test(text);
}
