import { describe, expect, it } from "vitest";
import { parseAppReference } from "./app-reference";

const NYLAS = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94";

describe("parseAppReference", () => {
  it("takes a bare app ID", () => {
    expect(parseAppReference(` ${NYLAS.toUpperCase()} `)).toEqual({ ok: true, appId: NYLAS, graphScopes: [] });
  });

  it("takes client_id and the Graph scopes from a sign-in URL", () => {
    const url = `https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=${NYLAS}&response_type=code&scope=openid%20offline_access%20https%3A%2F%2Fgraph.microsoft.com%2FMail.ReadWrite%20Calendars.ReadWrite%20https%3A%2F%2Foutlook.office.com%2FEWS.AccessAsUser.All`;
    expect(parseAppReference(url)).toEqual({ ok: true, appId: NYLAS, graphScopes: ["Mail.ReadWrite", "Calendars.ReadWrite"] });
  });

  it("takes client_id from an admin-consent link with .default", () => {
    expect(parseAppReference(`https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent?client_id=${NYLAS}&scope=https://graph.microsoft.com/.default`)).toEqual({
      ok: true,
      appId: NYLAS,
      graphScopes: [],
    });
  });

  it("finds the app ID in the details of a 'Need admin approval' page", () => {
    const text = `Need admin approval\nError code: AADSTS90094\nApp ID: ${NYLAS}\nCorrelation ID: 1c1b...`;
    expect(parseAppReference(text)).toMatchObject({ ok: true, appId: NYLAS });
  });

  it.each([
    ["a broken percent code in the scopes", `scope=%E0%A4%A`],
    ["a code cut short in the middle of a character", `scope=Mail.Read%20%E0%A4`],
    ["a broken code inside scopes encoded twice", `client_id=${NYLAS}&scope=https%253A%252F%252Fgraph.microsoft.com%252FMail.Read%25E0%25A4%25A`],
    ["a broken percent code in the client_id", `client_id=${NYLAS}%E0%A4%A&scope=Mail.Read`],
  ])("says a consent URL with %s could not be read", (_, query) => {
    const url = `https://login.microsoftonline.com/common/oauth2/v2.0/authorize?response_type=code&${query.startsWith("scope=") ? `client_id=${NYLAS}&` : ""}${query}`;
    expect(parseAppReference(url)).toEqual({ ok: false, message: "That URL could not be read. Paste it whole, as copied from the browser." });
  });

  it("reads a URL whose other parameters carry codes it does not need", () => {
    const url = `https://login.microsoftonline.com/common/oauth2/v2.0/authorize?state=%ZZ&client_id=${NYLAS}&scope=Mail.Read+offline_access`;
    expect(parseAppReference(url)).toEqual({ ok: true, appId: NYLAS, graphScopes: ["Mail.Read"] });
  });

  it.each([
    ["", "Enter the app's ID"],
    ["not-a-guid", "is not an app ID"],
    ["https://login.microsoftonline.com/common/oauth2/v2.0/authorize?response_type=code", "has no client_id"],
    ["https://login.microsoftonline.com/x/adminconsent?client_id=nylas", "is not an app ID (a GUID)"],
  ])("explains what is wrong with %j", (input, message) => {
    const result = parseAppReference(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});
