import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";

/**
 * What an admin pastes to add an app: its app ID, or a URL that carries it — an admin-consent link,
 * a sign-in (authorize) URL, or the text of a "Need admin approval" page. URLs also tell which
 * delegated Microsoft Graph scopes the app asks for. Pure.
 */
export type AppReference = { ok: true; appId: string; graphScopes: string[] } | { ok: false; message: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OIDC_ONLY = new Set(["openid", "profile", "email", "offline_access"]);

const UNREADABLE_URL = "That URL could not be read. Paste it whole, as copied from the browser.";

/** Percent-decoding that refuses a broken code (`%A`, or `%E0%A4` cut short) instead of guessing a character. */
function decodeStrictly(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * The query parameter as written, decoded strictly. URLSearchParams would turn a broken code into a
 * replacement character and carry on; a mangled paste must be reported instead.
 */
function queryParameter(url: URL, name: string): { value: string | null } | null {
  for (const pair of url.search.slice(1).split("&")) {
    const [rawKey = "", ...rest] = pair.split("=");
    const key = decodeStrictly(rawKey.replace(/\+/g, " "));
    // A broken code in some other parameter's name cannot make it this one.
    if (key !== name) continue;
    const value = decodeStrictly(rest.join("=").replace(/\+/g, " "));
    return value === null ? null : { value };
  }
  return { value: null };
}

/** The Graph scopes of a `scope` parameter; null when a scope was encoded twice and its inner code is broken. */
function graphScopes(scope: string | null): string[] | null {
  // Some links encode the scopes twice (https%253A%252F%252F…): decoding each once more is harmless for the rest.
  const values = (scope ?? "").split(/[\s+]+/).map((value) => decodeStrictly(value));
  if (values.some((value) => value === null)) return null;
  return (values as string[])
    .filter(Boolean)
    .flatMap((value) => {
      if (value.endsWith("/.default")) return [];
      const bare = value.replace(/^https:\/\/graph\.microsoft\.com\//i, "").replace(new RegExp(`^${MICROSOFT_GRAPH_APP_ID}/`, "i"), "");
      // Scopes of other APIs (a URI other than Graph's) cannot be told apart here: leave them out.
      return bare.includes("/") ? [] : [bare];
    })
    .filter((value, index, all) => all.indexOf(value) === index && !OIDC_ONLY.has(value.toLowerCase()));
}

export function parseAppReference(input: string): AppReference {
  const text = input.trim();
  if (text === "") return { ok: false, message: "Enter the app's ID, or paste its consent or sign-in URL." };
  if (GUID.test(text)) return { ok: true, appId: text.toLowerCase(), graphScopes: [] };

  const urlText = /https?:\/\/\S+/i.exec(text)?.[0];
  if (urlText) {
    let url: URL;
    try {
      url = new URL(urlText);
    } catch {
      return { ok: false, message: UNREADABLE_URL };
    }
    const clientId = queryParameter(url, "client_id");
    const scope = queryParameter(url, "scope");
    if (!clientId || !scope) return { ok: false, message: UNREADABLE_URL };
    if (!clientId.value) return { ok: false, message: "That URL has no client_id, so it does not say which app it is for." };
    if (!GUID.test(clientId.value)) return { ok: false, message: `The URL's client_id (${clientId.value.slice(0, 60)}) is not an app ID (a GUID).` };
    const scopes = graphScopes(scope.value);
    if (!scopes) return { ok: false, message: UNREADABLE_URL };
    return { ok: true, appId: clientId.value.toLowerCase(), graphScopes: scopes };
  }

  // Error pages show "App ID: <guid>" or "client_id=<guid>" in their details.
  const labelled = /(?:client_id=|app(?:lication)?\s*id[:\s]+)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(text);
  if (labelled?.[1]) return { ok: true, appId: labelled[1].toLowerCase(), graphScopes: [] };
  return { ok: false, message: "That is not an app ID (a GUID like 8e0d5ae6-12fd-4a7e-b01f-a689fa119d94), nor a URL with a client_id." };
}
