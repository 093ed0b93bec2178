import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GRAPH_SP_ID, startHttpsSim, USERS, type Sim } from "@/sim/graph/test-helpers";
import { createGraphClient, type GraphSession } from "./client";
import { directoryObjectsByIds, GET_BY_IDS_MAX } from "./directory";

// Names resolved in bulk with POST /directoryObjects/getByIds (Microsoft Learn "directoryObject: getByIds"),
// against the simulated Graph over https as the portal's client calls it.

const SALES_GROUP = "fef00095-3a65-4f0e-9a67-79c33a201dc0";

let sim: Sim;
let session: GraphSession;
beforeAll(async () => {
  sim = await startHttpsSim();
  session = createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token("sam", { scp: "User.Read Directory.Read.All" }) });
});
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

const filler = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
const writes = async () => ((await sim.control("GET", "/_sim/requests")).body as { writes: number }).writes;

describe("directoryObjectsByIds", () => {
  it("maps each id Graph finds to its typed object; unknown ids are simply absent (directoryobject-getbyids)", async () => {
    const found = await directoryObjectsByIds(session.client, [USERS.riley.id.toUpperCase(), SALES_GROUP, GRAPH_SP_ID, filler(1)[0]!]);
    expect([...found.keys()].sort()).toEqual([USERS.riley.id, SALES_GROUP, GRAPH_SP_ID].sort());
    expect(found.get(USERS.riley.id)).toMatchObject({ "@odata.type": "#microsoft.graph.user", displayName: "Riley Chen" });
    expect(found.get(GRAPH_SP_ID)).toMatchObject({ "@odata.type": "#microsoft.graph.servicePrincipal", displayName: "Microsoft Graph" });
  });

  it("narrows to the types asked for (directoryobject-getbyids)", async () => {
    const found = await directoryObjectsByIds(session.client, [USERS.riley.id, SALES_GROUP, GRAPH_SP_ID], ["servicePrincipal"]);
    expect([...found.keys()]).toEqual([GRAPH_SP_ID]);
  });

  it("splits more than 1,000 ids into calls of at most 1,000, which Graph would refuse at once (directoryobject-getbyids)", async () => {
    const ids = [...filler(GET_BY_IDS_MAX + 499), USERS.jordan.id];
    const before = await writes();
    const found = await directoryObjectsByIds(session.client, ids, ["user"]);
    expect(await writes()).toBe(before + 2);
    expect([...found.keys()]).toEqual([USERS.jordan.id]);
    expect(await directoryObjectsByIds(session.client, [])).toEqual(new Map());
    expect(await writes()).toBe(before + 2);
  });
});
