import { generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOREIGN_TID, startSim, USERS, type Sim } from "./test-helpers";

let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });

const expectInvalidToken = (r: { status: number; body: any }, message: RegExp) => {
  expect(r.status).toBe(401);
  expect(r.body.error.code).toBe("InvalidAuthenticationToken");
  expect(r.body.error.message).toMatch(message);
  expect(r.body.error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
};

describe("bearer token validation", () => {
  it("accepts a valid delegated token and answers /me", async () => {
    const r = await sim.call("GET", "/v1.0/me", { token: await sim.token("riley", { scp: "User.Read" }) });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(USERS.riley.id);
    expect(r.body["@odata.context"]).toContain("/v1.0/$metadata#users");
  });

  it("accepts the https://graph.microsoft.com audience too", async () => {
    const token = await sim.sign({ oid: USERS.riley.id, scp: "User.Read", aud: "https://graph.microsoft.com" });
    expect((await sim.call("GET", "/v1.0/me", { token })).status).toBe(200);
  });

  it("refuses a missing token", async () => {
    expectInvalidToken(await sim.call("GET", "/v1.0/me"), /empty/);
  });

  it("refuses a wrong issuer", async () => {
    const token = await sim.sign({ oid: USERS.riley.id, scp: "User.Read", iss: `https://login.microsoftonline.com/${FOREIGN_TID}/v2.0` });
    expectInvalidToken(await sim.call("GET", "/v1.0/me", { token }), /issuer/);
  });

  it("refuses a wrong audience", async () => {
    const token = await sim.sign({ oid: USERS.riley.id, scp: "User.Read", aud: "5a0f3c1e-8d2b-4f6a-9c7e-1b3d5f7a9c2e" });
    expectInvalidToken(await sim.call("GET", "/v1.0/me", { token }), /audience/);
  });

  it("refuses a token for a foreign tenant", async () => {
    const token = await sim.sign({ oid: USERS.riley.id, scp: "User.Read", tid: FOREIGN_TID });
    expectInvalidToken(await sim.call("GET", "/v1.0/me", { token }), /different tenant/);
  });

  it("refuses an expired token", async () => {
    const token = await sim.sign({ oid: USERS.riley.id, scp: "User.Read" }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    expectInvalidToken(await sim.call("GET", "/v1.0/me", { token }), /expired/);
  });

  it("refuses a token signed with another key", async () => {
    const other = await generateKeyPair("RS256");
    const token = await sim.sign({ oid: USERS.riley.id, scp: "User.Read" }, { key: other.privateKey });
    expectInvalidToken(await sim.call("GET", "/v1.0/me", { token }), /signature/);
  });

  it("refuses a delegated token for a user who is not in the tenant", async () => {
    const token = await sim.sign({ oid: "61f20372-8394-45b6-80c7-3b4c5d6e7f87", scp: "User.Read" });
    expectInvalidToken(await sim.call("GET", "/v1.0/me", { token }), /does not exist/);
  });

  it("supports app-only tokens by their roles and rejects /me for them", async () => {
    const token = await sim.appToken(["Application.Read.All"]);
    const list = await sim.call("GET", "/v1.0/servicePrincipals?$top=2", { token });
    expect(list.status).toBe(200);
    expect(list.body.value).toHaveLength(2);
    expect((await sim.call("GET", "/v1.0/me", { token })).status).toBe(400);
    expect((await sim.call("GET", "/v1.0/users", { token })).status).toBe(403);
  });
});

describe("response envelope", () => {
  it("sets request-id and echoes client-request-id on success and error", async () => {
    const token = await sim.token("riley", { scp: "User.Read" });
    const ok = await sim.call("GET", "/v1.0/me", { token, headers: { "client-request-id": "abc-123" } });
    expect(ok.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers.get("client-request-id")).toBe("abc-123");
    const err = await sim.call("GET", "/v1.0/nothingHere", { token, headers: { "client-request-id": "abc-456" } });
    expect(err.status).toBe(400);
    expect(err.body.error.code).toBe("BadRequest");
    expect(err.body.error.innerError).toMatchObject({ "client-request-id": "abc-456", "request-id": err.headers.get("request-id") });
    expect(err.body.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("answers 405 for a known path with the wrong method and 400 for an unknown version", async () => {
    const token = await sim.token("alex");
    expect((await sim.call("PUT", "/v1.0/servicePrincipals", { token, body: {} })).status).toBe(405);
    expect((await sim.call("GET", "/v2.0/me", { token })).status).toBe(400);
  });
});
