import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateLargeTenant } from "./generate";
import { startSim, type Sim } from "./test-helpers";

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
  generateLargeTenant(sim.tenant, { servicePrincipals: 30, grants: 60, appRoleAssignments: 10, users: 5, seed: 3 });
});
afterAll(async () => { await sim.close(); });

describe("fault: expired page tokens (expirePageTokens)", () => {
  it("refuses the chosen $skiptoken requests as Graph does, lets the others and first pages through", async () => {
    const token = await sim.token("casey");
    expect((await sim.control("POST", "/_sim/faults", { expirePageTokens: { pathPattern: "oauth2PermissionGrants", after: 1, times: 1 } })).status).toBe(200);
    const first = await sim.call("GET", "/v1.0/oauth2PermissionGrants?$top=10", { token });
    expect(first.status).toBe(200);
    const second = await sim.call("GET", first.body["@odata.nextLink"], { token });
    expect(second.status).toBe(200);
    const third = await sim.call("GET", second.body["@odata.nextLink"], { token });
    expect(third.status).toBe(400);
    expect(third.body.error).toMatchObject({ code: "Directory_ExpiredPageToken", message: "The specified page token value has expired and can no longer be included in your request." });
    // only `times` of them: the same link works again afterwards, and other collections were never affected
    expect((await sim.call("GET", second.body["@odata.nextLink"], { token })).status).toBe(200);
    const sps = await sim.call("GET", "/v1.0/servicePrincipals?$top=5", { token });
    expect((await sim.call("GET", sps.body["@odata.nextLink"], { token })).status).toBe(200);
    expect((await sim.control("DELETE", "/_sim/faults")).status).toBe(204);
  });
});
