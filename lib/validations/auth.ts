import { z } from "zod";

/**
 * Where to go after sign-in: a path on this site only (never `//host` or a full URL), so the
 * sign-in link cannot be turned into an open redirect.
 */
export const callbackPath = z
  .string()
  .max(2048)
  .regex(/^\/(?![/\\])[^\s]*$/)
  .catch("/");
