import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tenant from "../fixtures/tenant.json";
import { ACCOUNTS } from "./accounts";
import { PERSONAL_ACCOUNT_TENANT } from "./forge";
import { GRAPH_APP_ID, PORTAL_APP_ROLES } from "./provider";
import { httpsClient, signInWithCode, startTestIssuer, TEST_PORTAL, type TestIssuer } from "./test-issuer";

let sim: TestIssuer;

beforeAll(async () => {
  sim = await startTestIssuer();
});

afterAll(() => sim.close());

describe("simulated Entra issuer", () => {
  it("publishes a tenant-specific v2.0 discovery document", async () => {
    const send = httpsClient(sim.ca);
    const discovery = JSON.parse((await send(`${sim.issuer.issuer}/.well-known/openid-configuration`)).body);
    expect(discovery.issuer).toBe(`${new URL(sim.issuer.issuer).origin}/${tenant.tenantId}/v2.0`);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    const jwks = JSON.parse((await send(discovery.jwks_uri)).body);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it("shows the seeded accounts with their roles and returns the code to the portal", async () => {
    const admin = ACCOUNTS.find((a) => a.roleLabel === "Global Administrator")!;
    const { picker, callback } = await signInWithCode(sim, admin.id, "openid profile");
    for (const account of ACCOUNTS) expect(picker.body).toContain(account.userPrincipalName);
    expect(picker.body).toContain("Privileged Role Administrator");
    expect(callback).toBe(`${TEST_PORTAL}/api/auth/callback/microsoft-entra-id`);
  });

  it("signs an Entra-shaped ID token and a Graph access token for the picked account", async () => {
    const admin = ACCOUNTS.find((a) => a.roleLabel === "Cloud Application Administrator")!;
    const { tokens } = await signInWithCode(sim, admin.id, "openid profile email offline_access User.Read https://graph.microsoft.com/Application.Read.All");
    expect(decodeJwt(tokens.id_token)).toMatchObject({
      iss: sim.issuer.issuer,
      aud: tenant.portalClient.clientId,
      tid: tenant.tenantId,
      oid: admin.id,
      preferred_username: admin.userPrincipalName,
      name: admin.displayName,
      wids: admin.wids,
      nonce: "n",
    });
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({ aud: GRAPH_APP_ID, tid: tenant.tenantId, oid: admin.id, wids: admin.wids });
    expect(String(access.scp).split(" ").sort()).toEqual(["Application.Read.All", "User.Read"]);
    expect(tokens.refresh_token).toBeTruthy();
  });

  it("refreshes a Graph access token, narrowing its scopes on request", async () => {
    const user = ACCOUNTS.find((a) => a.roleLabel === "User")!;
    const { send, tokens } = await signInWithCode(sim, user.id, "openid profile offline_access https://graph.microsoft.com/User.Read https://graph.microsoft.com/Directory.Read.All");
    const reply = await send(`${sim.issuer.issuer}/token`, {
      method: "POST",
      form: {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
        scope: "openid offline_access https://graph.microsoft.com/User.Read",
        client_id: tenant.portalClient.clientId,
        client_secret: tenant.portalClient.clientSecret,
      },
    });
    expect(reply.status).toBe(200);
    expect(decodeJwt(JSON.parse(reply.body).access_token)).toMatchObject({ oid: user.id, scp: "User.Read", wids: [] });
  });

  it("gives the account of another tenant that tenant's tid", async () => {
    const foreign = ACCOUNTS.find((a) => a.homeTenantId)!;
    const { tokens } = await signInWithCode(sim, foreign.id, "openid profile");
    expect(decodeJwt(tokens.id_token).tid).toBe(foreign.homeTenantId);
  });

  it("refuses a token request with the wrong client secret", async () => {
    const reply = await httpsClient(sim.ca)(`${sim.issuer.issuer}/token`, {
      method: "POST",
      form: { grant_type: "refresh_token", refresh_token: "x", client_id: tenant.portalClient.clientId, client_secret: "wrong" },
    });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).error).toBe("invalid_client");
  });

  it("issues an app-only Graph token for client credentials with .default: roles, no user", async () => {
    const reply = await httpsClient(sim.ca)(`${sim.issuer.issuer}/token`, {
      method: "POST",
      form: {
        grant_type: "client_credentials",
        scope: "https://graph.microsoft.com/.default",
        client_id: tenant.portalClient.clientId,
        client_secret: tenant.portalClient.clientSecret,
      },
    });
    expect(reply.status, reply.body).toBe(200);
    const body = JSON.parse(reply.body);
    expect(body.refresh_token).toBeUndefined();
    const access = decodeJwt(body.access_token);
    expect(access).toMatchObject({ iss: sim.issuer.issuer, aud: GRAPH_APP_ID, tid: tenant.tenantId, azp: tenant.portalClient.clientId, idtyp: "app" });
    expect(access.roles).toEqual(PORTAL_APP_ROLES);
    expect(access.roles).not.toContain("Application.ReadWrite.All");
    expect(access.scp).toBeUndefined();
    expect(access.oid).toBeUndefined();
  });
});

describe("forged ID tokens for the S2 tests", () => {
  const secret = "issuer-test-control-secret";
  let controlled: TestIssuer;

  beforeAll(async () => {
    controlled = await startTestIssuer({ controlSecret: secret });
  });

  afterAll(() => controlled.close());

  it("forges the next sign-in's ID token with the defect it was told, once, and leaves refreshes alone", async () => {
    const admin = ACCOUNTS.find((a) => a.roleLabel === "Global Administrator")!;
    const control = httpsClient(controlled.ca);
    const armed = await control(`${new URL(controlled.issuer.issuer).origin}/_sim/next-id-token`, {
      method: "POST",
      json: { defect: "personal-account" },
      headers: { "x-sim-control": secret },
    });
    expect(armed.status, armed.body).toBe(200);

    const { send, tokens } = await signInWithCode(controlled, admin.id, "openid profile offline_access");
    expect(decodeJwt(tokens.id_token)).toMatchObject({ tid: PERSONAL_ACCOUNT_TENANT, oid: admin.id, nonce: "n", iss: controlled.issuer.issuer });
    // The refresh that follows is not a sign-in: its ID token is the issuer's own.
    const refreshed = await send(`${controlled.issuer.issuer}/token`, {
      method: "POST",
      form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token!, client_id: tenant.portalClient.clientId, client_secret: tenant.portalClient.clientSecret },
    });
    expect(decodeJwt(JSON.parse(refreshed.body).id_token).tid).toBe(tenant.tenantId);
    // Used up: the next sign-in is genuine again.
    const next = await signInWithCode(controlled, admin.id, "openid profile");
    expect(decodeJwt(next.tokens.id_token)).toMatchObject({ tid: tenant.tenantId, nonce: "n" });
  });

  it("hides its control route without a secret and refuses a wrong secret or an unknown defect", async () => {
    const url = (issuer: TestIssuer) => `${new URL(issuer.issuer.issuer).origin}/_sim/next-id-token`;
    const plain = await httpsClient(sim.ca)(url(sim), { method: "POST", json: { defect: "expired" }, headers: { "x-sim-control": secret } });
    expect(plain.status).toBe(404);
    const control = httpsClient(controlled.ca);
    expect((await control(url(controlled), { method: "POST", json: { defect: "expired" }, headers: { "x-sim-control": "wrong" } })).status).toBe(403);
    expect((await control(url(controlled), { method: "POST", json: { defect: "no-such-defect" }, headers: { "x-sim-control": secret } })).status).toBe(400);
    expect(controlled.issuer.idTokenDefects.armed).toBeNull();
  });
});
