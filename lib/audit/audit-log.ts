import { randomUUID } from "node:crypto";
import type { AuditRecord } from "./canonical";
import { AuditAppender, type EventInput } from "./store";
import type { AuditSql } from "./sql";

export type AuditActor = { oid: string; tid: string; upn: string; name: string; roles: string[] };
export type AuditRequestContext = { clientIp: string | null; userAgent: string | null };
export type AuditTarget = {
  type: "servicePrincipal" | "oauth2PermissionGrant" | "appRoleAssignment" | "policy" | "consentRequest" | "app";
  appId?: string;
  id?: string;
  name?: string;
};
export type ChangeOutcome<T> = { result: T; after: unknown; outcome: "succeeded" | "partial" | "failed"; graphRequestIds: string[] };

export type RecordEventInput = {
  actor: AuditActor;
  context: AuditRequestContext;
  action: string;
  target: AuditTarget;
  before?: unknown;
  after?: unknown;
  justification: string | null;
  outcome: "intended" | "succeeded" | "failed" | "partial";
  graphRequestIds?: string[];
  correlationId?: string;
};

/**
 * The change ran, but its outcome event could not be written (S16): the "intended" event stands alone
 * until reconciliation records the outcome from the tenant's state. Carries the change's result so the
 * caller can still say truthfully what was done.
 */
export class OutcomeNotRecordedError<T = unknown> extends Error {
  override name = "OutcomeNotRecordedError";
  constructor(
    readonly correlationId: string,
    readonly result: T,
    options?: { cause?: unknown },
  ) {
    super("The change was made, but its outcome could not be written to the audit trail yet.", options);
  }
}

/** The audit store could not be written: the change must not be attempted (S16). */
export class AuditUnavailableError extends Error {
  override name = "AuditUnavailableError";
  constructor(options?: { cause?: unknown }) {
    super("The audit trail cannot be written right now, so no change was made. Try again in a moment.", options);
  }
}

function toInput(event: RecordEventInput): EventInput {
  return {
    correlationId: event.correlationId ?? randomUUID(),
    tenantId: event.actor.tid,
    actorOid: event.actor.oid,
    actorUpn: event.actor.upn,
    actorName: event.actor.name,
    actorRoles: event.actor.roles,
    action: event.action,
    targetType: event.target.type,
    targetAppId: event.target.appId ?? null,
    targetId: event.target.id ?? null,
    targetName: event.target.name ?? null,
    before: event.before,
    after: event.after,
    justification: event.justification,
    outcome: event.outcome,
    graphRequestIds: event.graphRequestIds ?? [],
    clientIp: event.context.clientIp,
    userAgent: event.context.userAgent,
  };
}

function requestIdsOf(error: unknown): string[] {
  if (error && typeof error === "object" && "graphRequestIds" in error) {
    const ids = (error as { graphRequestIds: unknown }).graphRequestIds;
    if (Array.isArray(ids)) return ids.filter((id): id is string => typeof id === "string");
  }
  return [];
}

export type WithAuditInput = {
  actor: AuditActor;
  context: AuditRequestContext;
  action: string;
  target: AuditTarget;
  before: unknown;
  justification: string | null;
  /** What the change means to achieve, kept on the "intended" event: reconciliation reads the tenant for it. */
  intended?: unknown;
  correlationId?: string;
};

export type AuditLog = {
  recordEvent(event: RecordEventInput): Promise<AuditRecord>;
  withAudit<T>(
    input: WithAuditInput,
    change: () => Promise<ChangeOutcome<T>>,
  ): Promise<T>;
};

export function createAuditLog(sql: AuditSql): AuditLog {
  const appender = new AuditAppender(sql);
  const recordEvent = (event: RecordEventInput) => appender.append(toInput(event));
  return {
    recordEvent,
    async withAudit(input, change) {
      const correlationId = input.correlationId ?? randomUUID();
      const base = { ...input, correlationId };
      try {
        await recordEvent({ ...base, outcome: "intended", after: input.intended === undefined ? undefined : { intended: input.intended } });
      } catch (cause) {
        throw new AuditUnavailableError({ cause });
      }
      let done: ChangeOutcome<Awaited<ReturnType<typeof change>>["result"]>;
      try {
        done = await change();
      } catch (error) {
        // The change may have half happened: the outcome row says it failed, with whatever Graph request-ids we have.
        await recordEvent({ ...base, outcome: "failed", graphRequestIds: requestIdsOf(error), after: null }).catch(() => undefined);
        throw error;
      }
      // The change is made: try hard to record how it ended. If even that fails, the "intended" row stands
      // without an outcome until reconciliation records it from the tenant, and the caller hears the truth.
      const outcome = { ...base, outcome: done.outcome, after: done.after, graphRequestIds: done.graphRequestIds };
      for (let attempt = 1; ; attempt += 1) {
        try {
          await recordEvent(outcome);
          break;
        } catch (cause) {
          if (attempt >= 3) throw new OutcomeNotRecordedError(correlationId, done.result, { cause });
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
      return done.result;
    },
  };
}
