import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";

/**
 * What an admin pastes to add an app: its app ID, or a URL that carries it — an admin-consent link,
 * a sign-in (authorize) URL, or the text of a "Need admin approval" page. URLs also tell which
 * delegated Microsoft Graph scopes the app asks for. Pure.
 */
export type AppReference = { ok: true; appId: string; graphScopes: string[] } | { ok: false; message: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OIDC_ONLY = new Set(["openid", "profile", "email", "offline_access"]);

function graphScopes(scope: string | null): string[] {
  return (scope ?? "")
    .split(/[\s+]+/)
    .map((value) => decodeURIComponent(value))
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
      return { ok: false, message: "That URL could not be read. Paste it whole, as copied from the browser." };
    }
    const clientId = url.searchParams.get("client_id");
    if (!clientId) return { ok: false, message: "That URL has no client_id, so it does not say which app it is for." };
    if (!GUID.test(clientId)) return { ok: false, message: `The URL's client_id (${clientId.slice(0, 60)}) is not an app ID (a GUID).` };
    return { ok: true, appId: clientId.toLowerCase(), graphScopes: graphScopes(url.searchParams.get("scope")) };
  }

  // Error pages show "App ID: <guid>" or "client_id=<guid>" in their details.
  const labelled = /(?:client_id=|app(?:lication)?\s*id[:\s]+)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(text);
  if (labelled?.[1]) return { ok: true, appId: labelled[1].toLowerCase(), graphScopes: [] };
  return { ok: false, message: "That is not an app ID (a GUID like 8e0d5ae6-12fd-4a7e-b01f-a689fa119d94), nor a URL with a client_id." };
}
