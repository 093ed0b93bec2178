import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ENTRA_ROLES } from "@/lib/roles";
import { createGraphClient } from "@/lib/graph/client";
import { createTenantWideGrant } from "@/lib/graph/grants";
import { APPS, GRAPH_APP_ID, GRAPH_SP_ID, startHttpsSim, USERS, type Sim } from "@/sim/graph/test-helpers";
import { readAppState, ResourceDirectory } from "../app-state";
import { planGrant } from "./plan";
import { readPublishedScopes } from "./published-scopes";

// S8 against the simulated tenant: Graph stores any scope string a delegated grant is given (the simulator
// now does the same), so the grant plan, fed with what the API publishes, is what refuses an unknown scope.

let sim: Sim;
beforeAll(async () => { sim = await startHttpsSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

const session = () => createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token("alex") });
const graphAs = () => session().client;

describe("grant plan against the API's published delegated permissions", () => {
  it("the simulated Graph stores a scope Microsoft Graph does not publish, as Graph does", async () => {
    const clientId = sim.tenant.createServicePrincipal(APPS.oktaMail, sim.tenant.actorFor(USERS.alex.id)).id;
    const grant = await createTenantWideGrant(graphAs(), clientId, GRAPH_SP_ID, "User.Read Mail.ReadWrit");
    expect(grant.scope).toBe("User.Read Mail.ReadWrit");
  });

  it("blocks a delegated scope the API does not publish, so nothing is written for it", async () => {
    const graph = session();
    const client = graph.client;
    const published = await readPublishedScopes(client, [GRAPH_APP_ID]);
    expect(published.get(GRAPH_APP_ID)).toEqual(expect.arrayContaining(["User.Read", "Mail.ReadWrite"]));
    expect(published.get(GRAPH_APP_ID)).not.toContain("Mail.ReadWrit");
    const resources = new ResourceDirectory(client);
    const plan = planGrant({
      selection: { delegated: [{ resourceAppId: GRAPH_APP_ID, scopes: ["User.Read", "Mail.ReadWrit"] }], appRoles: [] },
      state: await readAppState(graph, APPS.outreach, resources),
      resources: new Map([[GRAPH_APP_ID, await resources.byApp(GRAPH_APP_ID)]]),
      publishedScopes: published,
      adminWids: [ENTRA_ROLES.globalAdministrator],
    });
    expect(plan.delegated[0]?.blockedReason).toMatch(/does not publish a delegated permission named Mail\.ReadWrit\b/);
    expect(plan.changeCount).toBe(0);
    expect(plan.createServicePrincipal).toBe(false);
  });
});
