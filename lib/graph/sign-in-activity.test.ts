import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PORTAL_APP_ID, startHttpsSim, USERS, type Sim } from "@/sim/graph/test-helpers";
import { createGraphClient } from "./client";
import { isSignInReportRefused, readSignInActivityPage, SIGN_IN_ACTIVITIES_FIRST_PAGE } from "./inventory";

// The scan's read of the beta sign-in activity report against the simulated Graph over https, as the
// portal's app-only client: every app's newest sign-in, page after page through Graph's own beta
// nextLinks, and Graph's refusal told apart from a fault worth retrying.

let sim: Sim;
beforeAll(async () => {
  sim = await startHttpsSim();
});
afterAll(async () => {
  await sim?.close();
});

const client = (roles: string[]) => {
  const token = sim.sign({ roles, appid: PORTAL_APP_ID, azp: PORTAL_APP_ID, idtyp: "app" });
  return createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => token, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } }).client;
};

describe("readSignInActivityPage", () => {
  it("reads every app's newest sign-in, as a client or as the API, through the report's pages", async () => {
    const log = sim.tenant.state.signIns;
    log.length = 0;
    // 1,200 apps, each signed in twice (the 10th after the 3rd, logged out of order): the newer one counts; the second page comes from the beta nextLink
    const appIds = Array.from({ length: 1_200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    for (const [i, appId] of appIds.entries()) {
      for (const day of [10, 3]) {
        sim.tenant.recordSignIn({ userId: USERS.alex.id, appId, errorCode: 0, resourceAppId: "00000002-0000-0ff1-ce00-000000000000" });
        log[log.length - 1]!.createdDateTime = new Date(Date.UTC(2026, 10, day, 0, 0, i % 60)).toISOString().replace(".000Z", "Z");
      }
    }
    const graph = client(["AuditLog.Read.All"]);
    const read: { appId: string; lastSignIn: string | null }[] = [];
    let link: string | null = SIGN_IN_ACTIVITIES_FIRST_PAGE;
    let pages = 0;
    while (link) {
      const page = await readSignInActivityPage(graph, link);
      read.push(...page.items);
      link = page.nextLink;
      pages += 1;
    }
    expect(pages).toBe(2);
    const byApp = new Map(read.map((a) => [a.appId, a.lastSignIn]));
    expect(byApp.get(appIds[61]!)).toBe("2026-11-10T00:00:01Z");
    expect(appIds.every((id) => byApp.get(id)?.startsWith("2026-11-10"))).toBe(true);
    // Exchange Online, the API of every sign-in, was used too: as a resource
    expect(byApp.get("00000002-0000-0ff1-ce00-000000000000")).toBe("2026-11-10T00:00:59Z");
  });

  it("tells Graph's refusal (no permission, no licence) from a fault to retry", async () => {
    const refused = await readSignInActivityPage(client(["Application.Read.All"]), SIGN_IN_ACTIVITIES_FIRST_PAGE).catch((error: unknown) => error);
    expect(isSignInReportRefused(refused)).toBe(true);
    await sim.control("POST", "/_sim/faults", { rules: [{ status: 503, pathPattern: "servicePrincipalSignInActivities", retryAfterSeconds: 0, times: 1 }] });
    const unavailable = await readSignInActivityPage(client(["AuditLog.Read.All"]), SIGN_IN_ACTIVITIES_FIRST_PAGE).catch((error: unknown) => error);
    expect(isSignInReportRefused(unavailable)).toBe(false);
  });
});
