import { createServer as createHttpsServer, type Server } from "node:https";
import { createLocalJWKSet } from "jose";
import { createGraphHandler, loadTenantFromFixtures } from "../../sim/graph";
import { generateLargeTenant } from "../../sim/graph/generate";
import { signInActivities } from "../../sim/graph/routes/audit-logs";
import { createIssuer } from "../../sim/issuer/provider";
import { createLoginHandler } from "../../sim/issuer/server";
import { ensureCertificate } from "../../sim/local-secrets";
import type { SimCounters, SimReady, TenantSize } from "./protocol";

/**
 * The simulated tenant in a process of its own (as in `npm start`), so the portal's process and Graph's
 * do not share one thread and the figures are the portal's plus real round trips. Started by run.ts
 * with IPC: it answers "counters" and "expected", and stops on "stop".
 */
const listen = (server: Server, port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const CONTROL_SECRET = "bench-inventory-control";

export async function runSimulator(options: { size: TenantSize; latencyMs: number; throttleRate: number; tlsDir: string; loginPort: number; graphPort: number }): Promise<void> {
  const { size } = options;
  const tls = await ensureCertificate(options.tlsDir);
  const tenant = loadTenantFromFixtures();
  const generated = generateLargeTenant(tenant, { servicePrincipals: size.servicePrincipals, grants: size.grants, appRoleAssignments: size.appRoleAssignments, users: 200, seed: 42 });
  // a sign-in log in which most apps were used in the last year and some not since: the scan reads the
  // sign-in activity report derived from it (one row per app that signed in)
  signInEveryApp(tenant);
  const issuer = await createIssuer({ origin: `https://127.0.0.1:${options.loginPort}`, portalUrls: ["http://localhost:1"] });
  const graph = createGraphHandler({
    tenant, issuer: issuer.issuer, controlSecret: CONTROL_SECRET,
    keys: createLocalJWKSet(issuer.publicJwks as Parameters<typeof createLocalJWKSet>[0]),
  });
  // The network, as the simulator's own fault configuration stands for it: latencyMs before every answer
  // (one per HTTP request, a $batch envelope once). Optionally throttling on reads, to see it retried.
  graph.faults.set({
    latencyMs: options.latencyMs,
    rules: options.throttleRate > 0 ? [{ status: 429, methods: ["GET"], rate: options.throttleRate, retryAfterSeconds: 1 }] : [],
  });

  const counters: SimCounters = { httpRequests: 0, graphCalls: 0, throttled: 0, busyMs: 0 };
  const login = createHttpsServer({ cert: tls.cert, key: tls.key }, createLoginHandler(issuer, tenant, []));
  const graphServer = createHttpsServer({ cert: tls.cert, key: tls.key, keepAlive: true }, (req, res) => {
    const started = performance.now();
    const isGraph = /^\/(v1\.0|beta)\//i.test(req.url ?? "");
    if (isGraph) counters.httpRequests += 1;
    res.once("finish", () => {
      if (!isGraph) return;
      // time spent answering, the added latency left out (summed over requests, so concurrent ones add up)
      counters.busyMs += performance.now() - started - options.latencyMs;
      if (res.statusCode === 429) counters.throttled += 1;
    });
    graph(req, res);
  });
  await Promise.all([listen(login, options.loginPort), listen(graphServer, options.graphPort)]);

  // Graph calls as the simulator counts them: each $batch part on its own (GET /_sim/requests).
  const graphCalls = async () => {
    const reply = await fetch(`https://127.0.0.1:${options.graphPort}/_sim/requests`, { headers: { "x-sim-control": CONTROL_SECRET } });
    const body = (await reply.json()) as { reads: number; writes: number };
    return body.reads + body.writes;
  };

  process.on("message", (message: { kind: string }) => {
    void (async () => {
      if (message.kind === "counters") {
        process.send?.({ kind: "counters", counters: { ...counters, graphCalls: await graphCalls() } });
      } else if (message.kind === "expected") {
        // the simulator's own state: what a complete enumeration must find
        const s = tenant.state;
        process.send?.({
          kind: "expected",
          grants: [...s.grants.keys()],
          // application permissions: app roles held by service principals (a user's assignment is no consent)
          assignments: [...s.appRoleAssignments.values()].filter((a) => a.principalType === "ServicePrincipal").map((a) => a.id),
        });
      } else if (message.kind === "stop") {
        for (const server of [login, graphServer]) {
          server.close();
          server.closeAllConnections();
        }
        process.disconnect();
      }
    })();
  });

  // The fewest Graph calls that can read everything: every page of the two tenant-wide collections at
  // Graph's largest page size, one call per API with app roles (more pages where one holds more than
  // a page), and no name resolution (the listing holds every service principal a grant names).
  const PAGE = 999;
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
  const state = tenant.state;
  const withAppRoles = [...state.servicePrincipals.values()].filter((sp) => sp.appRoles.some((role) => role.allowedMemberTypes.includes("Application")));
  const assignedTo = new Map<string, number>();
  for (const a of state.appRoleAssignments.values()) assignedTo.set(a.resourceId, (assignedTo.get(a.resourceId) ?? 0) + 1);
  const minimum = {
    servicePrincipalPages: pages(state.servicePrincipals.size),
    grantPages: pages(state.grants.size),
    assignmentCalls: withAppRoles.reduce((sum, sp) => sum + pages(assignedTo.get(sp.id) ?? 0), 0),
    resourcesWithAppRoles: withAppRoles.length,
    nameResolution: 0,
    signInPages: pages(signInActivities(state.signIns).length),
  };
  const ready: SimReady = {
    kind: "ready",
    summary: {
      servicePrincipals: state.servicePrincipals.size, generatedServicePrincipals: generated.servicePrincipals, grants: state.grants.size,
      appRoleAssignments: state.appRoleAssignments.size, users: state.users.size, generateMs: Math.round(generated.ms),
    },
    minimum,
  };
  process.send?.(ready);
}

/** One sign-in per service principal (nine in ten of them), at a seeded time in the last 400 days. */
function signInEveryApp(tenant: ReturnType<typeof loadTenantFromFixtures>): void {
  let seed = 7;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const now = Date.now();
  const user = [...tenant.state.users.keys()][0] ?? "";
  let n = 0;
  for (const sp of tenant.state.servicePrincipals.values()) {
    if (rand() < 0.1) continue;
    n += 1;
    tenant.state.signIns.push({
      id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, createdDateTime: new Date(now - Math.floor(rand() * 400 * 86_400_000)).toISOString(),
      userDisplayName: "", userPrincipalName: "", userId: user, appId: sp.appId, appDisplayName: sp.displayName, ipAddress: "127.0.0.1", clientAppUsed: "Browser",
      correlationId: `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`, conditionalAccessStatus: "notApplied", isInteractive: true,
      resourceDisplayName: "Microsoft Graph", resourceId: "00000003-0000-0000-c000-000000000000", status: { errorCode: 0, failureReason: null, additionalDetails: null },
    });
  }
}
