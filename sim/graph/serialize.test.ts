import type * as Graph from "@microsoft/microsoft-graph-types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asGraph, toGraph, type ServicePrincipalAsSent } from "./serialize";
import type { ServicePrincipal } from "./state/types";
import { startSim, type Sim } from "./test-helpers";

// The simulator's resources are checked against @microsoft/microsoft-graph-types (generated from Graph's
// published metadata). The `@ts-expect-error` lines are the proof: `npx tsc --noEmit` fails if any of
// them stops being an error, i.e. if a property Graph does not have, or a wrong type, got through.

describe("served resources are typed by Graph's metadata (type check)", () => {
  it("refuses a misspelled top-level property", () => {
    // @ts-expect-error 'displayNmae' is not a property of microsoft.graph.servicePrincipal
    const sp = asGraph<Graph.ServicePrincipal>()({ id: "1", displayNmae: "Contoso" });
    expect(sp.id).toBe("1");
  });

  it("refuses a misspelled nested property", () => {
    // @ts-expect-error verifiedPublisher has verifiedPublisherId, not verifiedPublisherID
    const sp = asGraph<Graph.ServicePrincipal>()({ id: "1", verifiedPublisher: { displayName: null, verifiedPublisherID: "123" } });
    expect(sp.verifiedPublisher.displayName).toBeNull();
  });

  it("refuses a property inside an array element", () => {
    // @ts-expect-error permissionScope has no 'scopeValue'
    const sp = asGraph<Graph.ServicePrincipal>()({ id: "1", oauth2PermissionScopes: [{ id: "2", scopeValue: "User.Read" }] });
    expect(sp.oauth2PermissionScopes).toHaveLength(1);
  });

  it("refuses a value of the wrong type", () => {
    // @ts-expect-error accountEnabled is a Boolean in Graph
    const sp = asGraph<Graph.ServicePrincipal>()({ id: "1", accountEnabled: "true" });
    // @ts-expect-error a sign-in's conditionalAccessStatus is Graph's enum, not any string
    const signIn = asGraph<Graph.SignIn>()({ id: "1", conditionalAccessStatus: "skipped" });
    expect([sp.id, signIn.id]).toEqual(["1", "1"]);
  });

  it("refuses the simulator's own bookkeeping (a group's memberIds) on the wire", () => {
    // @ts-expect-error memberIds is not a property of microsoft.graph.group
    const g = asGraph<Graph.Group>()({ id: "1", displayName: "Sales", memberIds: ["2"] });
    expect(g.id).toBe("1");
  });

  it("checks the simulator's state types, so a property added to them must be one Graph has", () => {
    const withInternalField = (s: ServicePrincipal & { replicatedAt: number }) =>
      // @ts-expect-error replicatedAt is not a property of microsoft.graph.servicePrincipal
      asGraph<ServicePrincipalAsSent>()(s);
    expect(typeof withInternalField).toBe("function");
  });

  it("accepts OData annotations and the named extensions (publisherName, which v1.0 metadata omits)", () => {
    const sp = asGraph<ServicePrincipalAsSent>()({ "@odata.type": "#microsoft.graph.servicePrincipal", id: "1", publisherName: "Contoso" });
    expect(sp.publisherName).toBe("Contoso");
    // without the named extension, publisherName is not Graph's
    // @ts-expect-error publisherName is not in microsoft.graph.servicePrincipal's v1.0 metadata
    asGraph<Graph.ServicePrincipal>()({ id: "1", publisherName: "Contoso" });
  });
});

describe("served resources leave the simulator through toGraph", () => {
  let sim: Sim;
  beforeAll(async () => { sim = await startSim(); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.tenant.reset(); });

  it("a group is served without the simulator's member bookkeeping", async () => {
    const r = await sim.call("GET", "/v1.0/groups", { token: await sim.token("riley", { scp: "Group.Read.All" }) });
    expect(r.status).toBe(200);
    expect(r.body.value.length).toBeGreaterThan(0);
    for (const g of r.body.value as Record<string, unknown>[]) {
      expect(g).not.toHaveProperty("memberIds");
      expect(g["@odata.type"]).toBe("#microsoft.graph.group");
    }
    const state = [...sim.tenant.state.groups.values()][0]!;
    expect(Object.keys(toGraph.group(state))).not.toContain("memberIds");
  });

  it("the organization is served in Graph's shape, with its verified default domain", async () => {
    const r = await sim.call("GET", "/v1.0/organization", { token: await sim.token("riley", { scp: "Organization.Read.All" }) });
    expect(r.status).toBe(200);
    const org = r.body.value[0];
    expect(org).not.toHaveProperty("defaultDomain");
    expect(org.verifiedDomains).toEqual([expect.objectContaining({ name: sim.tenant.state.organization.defaultDomain, isDefault: true })]);
  });

  it("an app consent request is served without its userConsentRequests navigation property", async () => {
    expect(Object.keys(toGraph.appConsentRequest({ id: "1", appId: "2", appDisplayName: "App", pendingScopes: [], userConsentRequests: [] }))).toEqual(
      ["id", "appId", "appDisplayName", "pendingScopes"]);
  });
});
