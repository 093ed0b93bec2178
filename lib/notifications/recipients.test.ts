import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGraphClient } from "@/lib/graph/client";
import { createGraphHandler, loadTenantFromFixtures, type Tenant } from "@/sim/graph";
import { GRAPH_APP_ID, ISSUER, PORTAL_APP_ID, TID, USERS } from "@/sim/graph/test-helpers";
import { PORTAL_APP_ROLES } from "@/sim/issuer/provider";
import { ensureCertificate } from "@/sim/local-secrets";
import { mailAddressOf, requesterAddress, reviewerAddresses } from "./recipients";

// Who is told, read the way the portal reads it: the simulated Graph over https with an app-only
// token carrying exactly the application permissions the simulated issuer grants the portal.

const SALES_GROUP = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
const PRIVILEGED_ROLE_ADMIN = "e8611ab8-c189-46e8-94e1-60213ab1f814";
const mail = (user: keyof typeof USERS) => tenant.state.users.get(USERS[user].id)!.userPrincipalName.toLowerCase();

let server: Server;
let tenant: Tenant;
let graph: ReturnType<typeof createGraphClient>;

beforeAll(async () => {
  const tls = await ensureCertificate(process.env.SIM_TEST_TLS_DIR ?? path.join(".data", "vitest"));
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  tenant = loadTenantFromFixtures();
  server = createServer({ cert: tls.cert, key: tls.key }, createGraphHandler({ tenant, issuer: ISSUER, keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" }] }) }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const appOnly = () =>
    new SignJWT({ aud: GRAPH_APP_ID, iss: ISSUER, tid: TID, roles: PORTAL_APP_ROLES, appid: PORTAL_APP_ID, azp: PORTAL_APP_ID, idtyp: "app" })
      .setProtectedHeader({ alg: "RS256", kid: "k" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
  graph = createGraphClient({ baseUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, getAccessToken: appOnly });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => tenant.reset());

describe("notification recipients, with the portal's app-only token", () => {
  it("without workflow reviewers: everyone holding a role that can approve, and nobody else", async () => {
    const { addresses, source } = await reviewerAddresses(graph.client);
    expect(source).toBe("admin roles");
    expect(addresses).toEqual(expect.arrayContaining([mail("alex"), mail("priya"), mail("casey")]));
    expect(addresses).not.toContain(mail("sam"));
    expect(addresses).not.toContain(mail("riley"));
  });

  it("with workflow reviewers: exactly the users, group members and role holders the policy names", async () => {
    tenant.setAdminConsentRequestPolicy(
      {
        isEnabled: true, notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 30,
        reviewers: [
          { query: `/users/${USERS.sam.id}`, queryType: "MicrosoftGraph", queryRoot: null },
          { query: `/groups/${SALES_GROUP}/transitiveMembers/microsoft.graph.user`, queryType: "MicrosoftGraph", queryRoot: null },
          { query: `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${PRIVILEGED_ROLE_ADMIN}'`, queryType: "MicrosoftGraph", queryRoot: null },
        ],
      },
      tenant.actorFor(USERS.alex.id),
    );
    const { addresses, source } = await reviewerAddresses(graph.client);
    expect(source).toBe("workflow reviewers");
    expect([...addresses].sort()).toEqual([mail("sam"), mail("riley"), mail("jordan"), mail("priya")].sort());
  });

  it("finds the requester by object ID; a user no longer in the directory has no address", async () => {
    expect(await requesterAddress(graph.client, USERS.riley.id)).toBe(tenant.state.users.get(USERS.riley.id)!.mail);
    expect(await requesterAddress(graph.client, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("uses mail, else a member's UPN; never a guest's #EXT# UPN or a disabled account", () => {
    expect(mailAddressOf({ id: "1", mail: "a@contoso.com", userPrincipalName: "x@contoso.com" })).toBe("a@contoso.com");
    expect(mailAddressOf({ id: "1", mail: null, userPrincipalName: "x@contoso.com" })).toBe("x@contoso.com");
    expect(mailAddressOf({ id: "1", mail: null, userPrincipalName: "x_fabrikam.com#EXT#@contoso.onmicrosoft.com" })).toBeNull();
    expect(mailAddressOf({ id: "1", mail: "a@contoso.com", accountEnabled: false })).toBeNull();
  });
});
