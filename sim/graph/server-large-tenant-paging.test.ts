import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateLargeTenant } from "./generate";
import { GRAPH_SP_ID, startSim, USERS, type Sim } from "./test-helpers";
import { VersionedMap } from "./state/versioned-map";

// Routes reuse per-client and per-resource views of the collections until they change: these tests read
// every list back after each kind of change (Graph write, direct state write, reset, restore) and compare
// it with a plain scan of the tenant's state, item for item and in order.
let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => {
  sim.tenant.reset();
  generateLargeTenant(sim.tenant, { servicePrincipals: 300, grants: 900, appRoleAssignments: 450, users: 20, seed: 7 });
});

async function all(path: string, token: string): Promise<{ id: string }[]> {
  const out: { id: string }[] = [];
  let next: string | undefined = `${sim.baseUrl}${path}`;
  while (next) {
    const r = await sim.call("GET", next.slice(sim.baseUrl.length), { token });
    expect(r.status).toBe(200);
    out.push(...(r.body.value as { id: string }[]));
    next = r.body["@odata.nextLink"];
  }
  return out;
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);
const stateGrants = () => [...sim.tenant.state.grants.values()];
const stateAssignments = () => [...sim.tenant.state.appRoleAssignments.values()];

describe("large tenant lists follow every change", () => {
  it("keeps the collections versioned across reset and restore", () => {
    expect(sim.tenant.state.grants).toBeInstanceOf(VersionedMap);
    sim.tenant.restore(sim.tenant.snapshot());
    expect(sim.tenant.state.appRoleAssignments).toBeInstanceOf(VersionedMap);
    expect(sim.tenant.state.servicePrincipals).toBeInstanceOf(VersionedMap);
  });

  it("pages the whole grant collection in state order, and sees a grant written through Graph and one deleted", async () => {
    const token = await sim.token("casey");
    expect(ids(await all("/v1.0/oauth2PermissionGrants?$top=97", token))).toEqual(ids(stateGrants()));
    const client = [...sim.tenant.state.servicePrincipals.values()].at(-1)!;
    const created = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: { clientId: client.id, consentType: "Principal", principalId: USERS.riley.id, resourceId: GRAPH_SP_ID, scope: "User.Read" } });
    expect(created.status).toBe(201);
    const victim = stateGrants()[5]!;
    expect((await sim.call("DELETE", `/v1.0/oauth2PermissionGrants/${victim.id}`, { token })).status).toBe(204);
    const listed = ids(await all("/v1.0/oauth2PermissionGrants?$top=97", token));
    expect(listed).toEqual(ids(stateGrants()));
    expect(listed).toContain(created.body.id);
    expect(listed).not.toContain(victim.id);
  });

  it("answers each app's grants and assignments as a scan of the state would, after direct writes too", async () => {
    const token = await sim.token("casey");
    const client = [...sim.tenant.state.servicePrincipals.values()][10]!;
    const perApp = async () => ({
      grants: ids(await all(`/v1.0/servicePrincipals/${client.id}/oauth2PermissionGrants`, token)),
      filtered: ids(await all(`/v1.0/oauth2PermissionGrants?$filter=clientId eq '${client.id.toUpperCase()}'`, token)),
      assignments: ids(await all(`/v1.0/servicePrincipals/${client.id}/appRoleAssignments`, token)),
      assignedTo: ids(await all(`/v1.0/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo?$top=50`, token)),
    });
    const expected = () => ({
      grants: ids(stateGrants().filter((g) => g.clientId === client.id)),
      filtered: ids(stateGrants().filter((g) => g.clientId === client.id)),
      assignments: ids(stateAssignments().filter((a) => a.principalId === client.id)),
      assignedTo: ids(stateAssignments().filter((a) => a.resourceId === GRAPH_SP_ID)),
    });
    const before = await perApp();
    expect(before).toEqual(expected());
    expect(before.grants.length).toBeGreaterThan(0);
    // a write straight into the state (as the generator and tests do), then one removed the same way
    const first = stateGrants().find((g) => g.clientId === client.id)!;
    sim.tenant.state.grants.delete(first.id);
    sim.tenant.state.grants.set("direct-grant", { ...first, id: "direct-grant" });
    const assignment = stateAssignments().find((a) => a.principalId === client.id)!;
    sim.tenant.state.appRoleAssignments.delete(assignment.id);
    const after = await perApp();
    expect(after).toEqual(expected());
    expect(after.grants).toContain("direct-grant");
    expect(after.assignments).not.toContain(assignment.id);
    sim.tenant.state.grants.clear();
    expect((await perApp()).grants).toEqual([]);
  });
});
