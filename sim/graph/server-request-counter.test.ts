import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APPS, startSim, type Sim } from "./test-helpers";

let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });

async function counts(): Promise<{ reads: number; writes: number }> {
  const reply = await sim.control("GET", "/_sim/requests");
  expect(reply.status).toBe(200);
  return reply.body;
}

describe("GET /_sim/requests", () => {
  it("counts Graph reads and writes apart, each $batch part on its own, refused writes too", async () => {
    const token = await sim.token("casey");
    const before = await counts();
    expect((await sim.call("GET", `/v1.0/servicePrincipals(appId='${APPS.nylas}')`, { token })).status).toBe(404);
    // A write the caller may not make is still a write attempt: "nothing written" means none was tried.
    const reader = await sim.token("riley", { scp: "User.Read" });
    expect((await sim.call("POST", "/v1.0/servicePrincipals", { token: reader, body: { appId: APPS.nylas } })).status).toBe(403);
    const batch = await sim.call("POST", "/v1.0/$batch", { token, body: { requests: [
      { id: "1", method: "GET", url: "/servicePrincipals?$top=1" },
      { id: "2", method: "GET", url: "/oauth2PermissionGrants?$top=1" },
    ] } });
    expect(batch.status).toBe(200);
    expect(await counts()).toEqual({ reads: before.reads + 3, writes: before.writes + 1 });
  });

  it("is not reset with the tenant, and needs the control secret", async () => {
    const before = await counts();
    expect((await sim.control("POST", "/_sim/reset")).status).toBe(204);
    expect(await counts()).toEqual(before);
    expect((await sim.control("GET", "/_sim/requests", undefined, "wrong")).status).toBe(403);
  });
});
