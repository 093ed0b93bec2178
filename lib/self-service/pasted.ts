import { parseAppReference } from "@/lib/catalog/app-reference";

/**
 * What a person pastes from Entra's "Need admin approval" / "Approval required" screen, its URL, or a
 * sign-in error: the app (client_id / "App ID"), the AADSTS code, correlation ID and timestamp. Pure.
 */
export type PastedDetails = {
  appId: string | null;
  /** Delegated Microsoft Graph scopes named in a pasted sign-in URL. */
  graphScopes: string[];
  /** e.g. "AADSTS90094" */
  code: string | null;
  correlationId: string | null;
  /** ISO 8601, UTC. */
  timestamp: string | null;
};

const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const ISO = /\b(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(?:Z|[+-]\d{2}:?\d{2})?)/;

function isoTimestamp(text: string): string | null {
  const labelled = /timestamp[:\s]+(\S+(?:\s\d{2}:\d{2}:\d{2}\S*)?)/i.exec(text)?.[1];
  const candidate = labelled && ISO.test(labelled) ? ISO.exec(labelled)![1] : ISO.exec(text)?.[1];
  if (!candidate) return null;
  const normalized = candidate.replace(" ", "T");
  const withZone = /Z$|[+-]\d{2}:?\d{2}$/.test(normalized) ? normalized : `${normalized}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function parsePasted(input: string): PastedDetails {
  const text = input.slice(0, 8000);
  const code = /\bAADSTS(\d{5,7})\b/i.exec(text)?.[1];
  const correlationId = new RegExp(`correlation[\\s_-]*id[:=\\s]+(${GUID})`, "i").exec(text)?.[1] ?? null;
  const reference = parseAppReference(text);
  // A bare GUID pasted alone is an app ID; inside error text only a labelled one is (parseAppReference does that).
  const appId = reference.ok && reference.appId !== correlationId?.toLowerCase() ? reference.appId : null;
  return {
    appId,
    graphScopes: reference.ok ? reference.graphScopes : [],
    code: code ? `AADSTS${code}` : null,
    correlationId: correlationId?.toLowerCase() ?? null,
    timestamp: isoTimestamp(text),
  };
}

/** Where a pasted error or URL's details travel to the status page. */
export function statusHref(appId: string, details: Pick<PastedDetails, "code" | "correlationId" | "timestamp" | "graphScopes">) {
  const query = new URLSearchParams();
  if (details.code) query.set("code", details.code);
  if (details.correlationId) query.set("cid", details.correlationId);
  if (details.timestamp) query.set("ts", details.timestamp);
  if (details.graphScopes.length) query.set("scope", details.graphScopes.join(" "));
  const text = query.toString();
  return `/my-apps/apps/${appId}${text ? `?${text}` : ""}`;
}

