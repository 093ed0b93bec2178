import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import pino, { type Logger } from "pino";
import { REDACTED, redactText, redactValue } from "@/lib/audit/redact";

/**
 * The portal's one logger: JSON lines on stdout (pino), one object per event, for a log collector to
 * index. Every line written while a request is handled carries its `requestId`, minted by the portal's
 * server (scripts/portal-server.mjs) and passed here through `requestContext`, so a request's Graph
 * calls (lib/graph/middleware.ts logs each with Graph's request-id) can be found from the request.
 *
 * Never a token (S6, S14): every line passes through the audit trail's redaction before it is written
 * (members named token/secret/password/authorization/cookie replaced, JWT- and Bearer-shaped text
 * removed from every string, messages and error stacks included).
 */

export type RequestContext = { requestId: string };

/**
 * Shared with scripts/portal-server.mjs through a global symbol: that file runs outside Next's bundle,
 * which would otherwise hold a second copy of this module and of the storage.
 */
const REQUEST_CONTEXT = Symbol.for("admin-consent-portal.request-context");
const globalForLog = globalThis as unknown as Record<symbol, AsyncLocalStorage<RequestContext> | undefined> & { portalLogger?: Logger; portalConsoleRouted?: boolean };

export const requestContext: AsyncLocalStorage<RequestContext> = (globalForLog[REQUEST_CONTEXT] ??= new AsyncLocalStorage<RequestContext>());

/** The request id of the request being handled, if any. */
export function currentRequestId(): string | null {
  return requestContext.getStore()?.requestId ?? null;
}

/** An Error as plain, redacted fields: pino would otherwise print its stack (and message) unredacted. */
function plainError(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: redactText(error.message),
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    ...(error.stack ? { stack: redactText(error.stack) } : {}),
  };
}

function redactLine(object: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) plain[key] = value instanceof Error ? plainError(value) : value;
  return redactValue(plain) as Record<string, unknown>;
}

/**
 * LOG_LEVEL (debug, info, warn, error; default info). Read here, not through lib/env.ts: the logger must
 * work before and without a valid configuration, whose problems it reports. Unit tests (Vitest) log
 * warnings and errors only, so their output is not buried under Graph calls.
 */
function defaultLevel(): string {
  return process.env.LOG_LEVEL || (process.env.VITEST ? "warn" : "info");
}

/** A logger writing to `destination` (stdout when omitted); the process's own is `logger()`. */
export function createLogger(destination?: pino.DestinationStream, level: string = destination ? "info" : defaultLevel()): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "admin-consent-portal", pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: "msg",
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    formatters: {
      level: (label) => ({ level: label }),
      log: redactLine,
    },
    hooks: {
      // The message itself (and any %s arguments) is redacted like every other string.
      logMethod(args, method) {
        const safe = args.map((arg) => (typeof arg === "string" ? redactText(arg) : arg instanceof Error ? plainError(arg) : arg)) as Parameters<typeof method>;
        method.apply(this, safe);
      },
    },
    // Belt and braces for headers logged whole: the redaction above already replaces these by name.
    redact: { paths: ["headers.authorization", "headers.cookie", "*.headers.authorization", "*.headers.cookie"], censor: REDACTED },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The process's logger (kept on globalThis so dev reloads and several bundles share one). */
export function logger(): Logger {
  globalForLog.portalLogger ??= createLogger();
  return globalForLog.portalLogger;
}

const CONSOLE_LEVELS = { debug: "debug", log: "info", info: "info", warn: "warn", error: "error" } as const;

/**
 * Sends everything written with console.* in this process (Next's own messages, libraries) through the
 * logger, so the portal's output is JSON lines only and redacted like the rest. Called once at start-up
 * (instrumentation.ts), in the portal's server process only.
 */
export function routeConsoleToLog(): void {
  if (globalForLog.portalConsoleRouted) return;
  globalForLog.portalConsoleRouted = true;
  const log = logger();
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const text = format(...args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : arg)));
      if (error) log[level]({ err: error }, text);
      else log[level](text);
    };
  }
}
