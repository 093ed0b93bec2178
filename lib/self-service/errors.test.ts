import { describe, expect, it } from "vitest";
import { explainError, KNOWN_ERROR_CODES } from "./errors";
import { parsePasted } from "./pasted";

describe("explainError", () => {
  it.each(["AADSTS65001", "AADSTS90094", "AADSTS90095", "AADSTS900941", "AADSTS900981"])("explains %s with a next step", (code) => {
    const explanation = explainError(code);
    expect(explanation.code).toBe(code);
    expect(explanation.title).not.toBe("Another sign-in error");
    expect(explanation.nextStep.length).toBeGreaterThan(10);
  });

  it("accepts the bare number and any case", () => {
    expect(explainError("90094").title).toBe("Need admin approval");
    expect(explainError("aadsts65001").code).toBe("AADSTS65001");
  });

  it("risky-app errors are for admins only and never auto-granted", () => {
    for (const code of ["AADSTS900941", "AADSTS900981"]) expect(explainError(code).adminStep).toContain("Never grant");
  });

  it("approval requests help with consent errors, not with disabled apps or missing assignment", () => {
    expect(explainError("AADSTS90094").requestHelps).toBe(true);
    expect(explainError("AADSTS50105").requestHelps).toBe(false);
    expect(explainError("AADSTS7000112").requestHelps).toBe(false);
  });

  it("unknown codes get a generic answer that points to the help desk", () => {
    const explanation = explainError("AADSTS53003");
    expect(explanation.code).toBe("AADSTS53003");
    expect(explanation.title).toBe("Another sign-in error");
    expect(explanation.requestHelps).toBe(false);
    expect(KNOWN_ERROR_CODES).not.toContain("AADSTS53003");
  });
});

describe("parsePasted", () => {
  const NYLAS = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94";
  const CORRELATION = "0f9b8a7c-1234-4cde-8f00-aabbccddeeff";

  it("reads the simulator's / Entra's troubleshooting details", () => {
    const text = `Need admin approval\nTroubleshooting details\nError code: AADSTS90094\nApp ID: ${NYLAS.toUpperCase()}\nCorrelation ID: ${CORRELATION}\nTimestamp: 2026-11-26T07:30:01.123Z`;
    expect(parsePasted(text)).toEqual({ appId: NYLAS, graphScopes: [], code: "AADSTS90094", correlationId: CORRELATION, timestamp: "2026-11-26T07:30:01.123Z" });
  });

  it("reads client_id and scopes from a pasted sign-in URL", () => {
    const details = parsePasted(`https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=${NYLAS}&scope=openid%20https%3A%2F%2Fgraph.microsoft.com%2FMail.Send`);
    expect(details.appId).toBe(NYLAS);
    expect(details.graphScopes).toEqual(["Mail.Send"]);
  });

  it("Entra's own format: 'Timestamp: 2026-11-26 07:30:01Z' and AADSTS in a sentence", () => {
    const details = parsePasted("AADSTS65001: The user or administrator has not consented. Correlation ID: " + CORRELATION + " Timestamp: 2026-11-26 07:30:01Z");
    expect(details).toMatchObject({ code: "AADSTS65001", correlationId: CORRELATION, timestamp: "2026-11-26T07:30:01.000Z", appId: null });
  });

  it("a correlation ID is not mistaken for an app ID, and malformed input yields nothing", () => {
    expect(parsePasted(`Correlation ID: ${CORRELATION}`).appId).toBeNull();
    expect(parsePasted("https://example.com/?client_id=not-a-guid")).toMatchObject({ appId: null, code: null, correlationId: null, timestamp: null });
    expect(parsePasted("<script>alert(1)</script>")).toMatchObject({ appId: null, code: null });
    expect(parsePasted("Timestamp: 2026-13-45T99:99:99Z").timestamp).toBeNull();
  });
});
