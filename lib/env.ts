import { z } from "zod";

/**
 * The portal's configuration, validated once. Nothing else in the app reads `process.env`.
 *
 * Two modes:
 * - real tenant: AUTH_MICROSOFT_ENTRA_ID_ID, _SECRET and _ISSUER all set (the issuer pinned to one
 *   tenant GUID, never `common` or `organizations`);
 * - simulated tenant: none of them set; `npm start` then runs the simulator and passes its origins in
 *   SIM_LOGIN_ORIGIN / SIM_GRAPH_ORIGIN and the portal's registration there in SIM_TENANT_ID,
 *   SIM_CLIENT_ID and SIM_CLIENT_SECRET (sim/portal-env.ts).
 */
const REAL_TENANT_VARS = [
  "AUTH_MICROSOFT_ENTRA_ID_ID",
  "AUTH_MICROSOFT_ENTRA_ID_SECRET",
  "AUTH_MICROSOFT_ENTRA_ID_ISSUER",
] as const;

/** The portal's app registration in the simulated tenant, passed in by `npm start` with the simulator's origins. */
const SIMULATED_REGISTRATION_VARS = ["SIM_TENANT_ID", "SIM_CLIENT_ID", "SIM_CLIENT_SECRET"] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENTRA_ISSUER = /^https:\/\/login\.microsoftonline\.(?:com|us)\/([0-9a-f-]{36})\/v2\.0$/i;

const optional = z.string().trim().min(1).optional();

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
// "Admin Consent Portal <consent@contoso.com>" or "consent@contoso.com"; no line breaks (header injection).
const MAIL_ADDRESS = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// URL" }),
  /** Connections per portal process. The embedded database is one PostgreSQL session: npm start sets 1. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (npx auth secret makes one)"),
  AUTH_URL: z.url().optional(),
  /** Reverse proxies in front of the portal that append to X-Forwarded-For; 0: the client IP is the socket's peer (S21). */
  TRUSTED_PROXY_HOPS: z.coerce.number({ error: "must be a number of proxies" }).int().min(0).max(10).default(0),
  AUTH_MICROSOFT_ENTRA_ID_ID: optional,
  AUTH_MICROSOFT_ENTRA_ID_SECRET: optional,
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: optional,
  GRAPH_BASE_URL: z.url().optional(),
  SIM_LOGIN_ORIGIN: z.url().optional(),
  SIM_GRAPH_ORIGIN: z.url().optional(),
  SIM_TENANT_ID: optional,
  SIM_CLIENT_ID: optional,
  SIM_CLIENT_SECRET: optional,
  /** Minutes of inactivity after which a session ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Signs exported audit head hashes (HMAC-SHA256) when set; 32+ characters. */
  AUDIT_HEAD_SIGNING_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** Hours after sign-in after which a session ends, active or not. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24).default(8),
  /** Seconds between runs of every background job instead of each job's own interval (lib/jobs/start.ts); for tests and drills. */
  JOB_PERIOD_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).int().min(1).max(24 * 3600).optional(),
  /** Minutes between scheduled imports of Entra's consent audits (lib/drift/schedule.ts); 0 turns them off. */
  DRIFT_IMPORT_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  /** Minutes between routine audit checks (the events after the last signed head; needs AUDIT_HEAD_SIGNING_KEY); 0 turns them off. */
  AUDIT_CHECK_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
  /** Notifications by e-mail: SMTP_URL (may hold the credentials), or SMTP_HOST with the three after it. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.contoso.com:587" }).optional(),
  SMTP_HOST: optional,
  SMTP_PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65_535).optional(),
  SMTP_USER: optional,
  SMTP_PASSWORD: optional,
  MAIL_FROM: z.string().trim().regex(MAIL_ADDRESS, "must be a mail address, e.g. Admin Consent Portal <consent@contoso.com>").optional(),
  /** A Teams or Slack incoming webhook: https, or http on loopback only (the URL itself is a secret). */
  NOTIFY_WEBHOOK_URL: z
    .url({ error: "must be the webhook's https:// URL" })
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
    }, "must be an https:// URL (http only on 127.0.0.1 or localhost)")
    .optional(),
  /** UTC hour (0–23) of the daily reminder to reviewers about requests open longer than a day; unset: no reminders. */
  NOTIFY_REMINDER_HOUR: z.coerce.number({ error: "must be an hour from 0 to 23" }).int().min(0).max(23).optional(),
}).superRefine((vars, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (vars.SMTP_URL && vars.SMTP_HOST) issue("SMTP_URL", "set SMTP_URL or SMTP_HOST, not both");
  if (!vars.SMTP_HOST) {
    for (const name of ["SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD"] as const) if (vars[name] !== undefined) issue(name, "needs SMTP_HOST as well");
  } else if (!vars.SMTP_USER !== !vars.SMTP_PASSWORD) {
    issue(vars.SMTP_USER ? "SMTP_PASSWORD" : "SMTP_USER", "set SMTP_USER and SMTP_PASSWORD together (or neither, for a relay without sign-in)");
  }
  const email = Boolean(vars.SMTP_URL || vars.SMTP_HOST);
  if (email && !vars.MAIL_FROM) issue("MAIL_FROM", "is required with SMTP_URL or SMTP_HOST: the sender of the portal's mail");
  if (!email && vars.MAIL_FROM) issue("MAIL_FROM", "needs SMTP_URL or SMTP_HOST as well");
  if ((email || vars.NOTIFY_WEBHOOK_URL) && !vars.AUTH_URL) issue("AUTH_URL", "is required with notifications: messages link to the portal's public URL");
  if (vars.NOTIFY_REMINDER_HOUR !== undefined && !email && !vars.NOTIFY_WEBHOOK_URL) issue("NOTIFY_REMINDER_HOUR", "needs SMTP or NOTIFY_WEBHOOK_URL to send reminders through");
});

export type TenantConfig = {
  mode: "real" | "simulated";
  tenantId: string;
  /** The pinned issuer: `https://login.microsoftonline.com/<tenant>/v2.0` or the simulator's. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  graphBaseUrl: string;
};

export type Env = z.infer<typeof schema> & { tenant: TenantConfig };

export class EnvError extends Error {
  override name = "EnvError";
}

function emptyAsUndefined(source: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v?.trim() === "" ? undefined : v]));
}

/** True when any real-tenant variable is set: the simulator must then refuse to run (S18). */
export function realTenantRequested(source: Record<string, string | undefined> = process.env): boolean {
  return REAL_TENANT_VARS.some((name) => (source[name] ?? "").trim() !== "");
}

/** Resolves which tenant the portal signs in against; throws EnvError naming what is missing. */
export function resolveTenant(source: Record<string, string | undefined>): TenantConfig {
  const vars = emptyAsUndefined(source);
  if (realTenantRequested(vars)) {
    const missing = REAL_TENANT_VARS.filter((name) => !vars[name]);
    if (missing.length > 0) {
      throw new EnvError(
        `A real tenant is half configured: set ${missing.join(", ")} as well (or unset all AUTH_MICROSOFT_ENTRA_ID_* variables to use the simulated tenant).`,
      );
    }
    const clientId = vars.AUTH_MICROSOFT_ENTRA_ID_ID!;
    const issuer = vars.AUTH_MICROSOFT_ENTRA_ID_ISSUER!.replace(/\/$/, "");
    if (!GUID.test(clientId)) throw new EnvError("AUTH_MICROSOFT_ENTRA_ID_ID must be the app registration's client ID (a GUID).");
    const tenantId = ENTRA_ISSUER.exec(issuer)?.[1];
    if (!tenantId || !GUID.test(tenantId)) {
      throw new EnvError(
        "AUTH_MICROSOFT_ENTRA_ID_ISSUER must be https://login.microsoftonline.com/<tenant GUID>/v2.0 — one tenant, never common or organizations.",
      );
    }
    return {
      mode: "real",
      tenantId: tenantId.toLowerCase(),
      issuer,
      clientId,
      clientSecret: vars.AUTH_MICROSOFT_ENTRA_ID_SECRET!,
      graphBaseUrl: vars.GRAPH_BASE_URL ?? "https://graph.microsoft.com",
    };
  }
  if (!vars.SIM_LOGIN_ORIGIN || !vars.SIM_GRAPH_ORIGIN) {
    throw new EnvError(
      "No tenant is configured. Run `npm start` to use the simulated tenant, or set AUTH_MICROSOFT_ENTRA_ID_ID, AUTH_MICROSOFT_ENTRA_ID_SECRET and AUTH_MICROSOFT_ENTRA_ID_ISSUER (see README, “Use with a real tenant”).",
    );
  }
  const registration = SIMULATED_REGISTRATION_VARS.filter((name) => !vars[name]);
  if (registration.length > 0) {
    throw new EnvError(`The simulated tenant is half configured: set ${registration.join(", ")} as well (\`npm start\` sets them all).`);
  }
  const tenantId = vars.SIM_TENANT_ID!;
  if (!GUID.test(tenantId) || !GUID.test(vars.SIM_CLIENT_ID!)) throw new EnvError("SIM_TENANT_ID and SIM_CLIENT_ID must be GUIDs.");
  return {
    mode: "simulated",
    tenantId,
    issuer: `${vars.SIM_LOGIN_ORIGIN.replace(/\/$/, "")}/${tenantId}/v2.0`,
    clientId: vars.SIM_CLIENT_ID!,
    clientSecret: vars.SIM_CLIENT_SECRET!,
    graphBaseUrl: vars.SIM_GRAPH_ORIGIN.replace(/\/$/, ""),
  };
}

/** Parses and checks a whole environment; throws EnvError with one line per problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const vars = emptyAsUndefined(source);
  const result = schema.safeParse(vars);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`);
    throw new EnvError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return { ...result.data, tenant: resolveTenant(vars) };
}

let cached: Env | undefined;

/** The validated environment of this process (validated on first use, so `next build` needs none). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
