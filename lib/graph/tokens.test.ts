import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantConfig } from "@/lib/env";
import tenant from "@/sim/fixtures/tenant.json";
import { ACCOUNTS } from "@/sim/issuer/accounts";
import { signInWithCode, startTestIssuer, type TestIssuer } from "@/sim/issuer/test-issuer";
import { msalRefresher } from "./msal";
import { graphScopesFor, signInScopes } from "./scopes";
import { accessToken, ReauthenticationRequired, singleFlight, type Refresher, type StoredTokens, type TokenStore } from "./tokens";

/** A store with a real mutex, standing in for the session row and its row lock. */
function memoryStore(initial: StoredTokens | null): TokenStore & { value: StoredTokens | null } {
  let chain = Promise.resolve();
  const store = {
    value: initial,
    load: async () => store.value,
    save: async (tokens: StoredTokens) => {
      store.value = tokens;
    },
    lock<T>(work: (locked: TokenStore) => Promise<T>): Promise<T> {
      const run = chain.then(() => work(store));
      chain = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
  };
  return store;
}

function countingRefresher(): Refresher & { calls: number } {
  const refresher = Object.assign(
    async (_refreshToken: string, scopes: string[]) => {
      refresher.calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { accessToken: `at-${refresher.calls}`, expiresAt: Math.floor(Date.now() / 1000) + 3600, scopes: scopes.join(" ") };
    },
    { calls: 0 },
  );
  return refresher;
}

const scopes = graphScopesFor("admin");

describe("accessToken (S6)", () => {
  it("refreshes once for two parallel requests, across the lock", async () => {
    const store = memoryStore({ refreshToken: "rt", accessToken: "old", expiresAt: 0, scopes: "User.Read" });
    const refresh = countingRefresher();
    const tokens = await Promise.all([accessToken(store, scopes, refresh), accessToken(store, scopes, refresh)]);
    expect(tokens).toEqual(["at-1", "at-1"]);
    expect(refresh.calls).toBe(1);
    expect(store.value).toMatchObject({ refreshToken: "rt", accessToken: "at-1", scopes: scopes.join(" ") });
  });

  it("joins concurrent requests of one session in this process", async () => {
    let started = 0;
    const work = async () => {
      started += 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return "token";
    };
    await Promise.all([singleFlight("sid-1", work), singleFlight("sid-1", work), singleFlight("sid-2", work)]);
    expect(started).toBe(2);
  });

  it("reuses a fresh token for the same scopes and refreshes for other scopes or near expiry", async () => {
    const refresh = countingRefresher();
    const fresh = { refreshToken: "rt", accessToken: "kept", expiresAt: Math.floor(Date.now() / 1000) + 3600, scopes: scopes.join(" ") };
    expect(await accessToken(memoryStore(fresh), scopes, refresh)).toBe("kept");
    expect(await accessToken(memoryStore({ ...fresh, scopes: "User.Read" }), scopes, refresh)).toBe("at-1");
    expect(await accessToken(memoryStore({ ...fresh, expiresAt: Math.floor(Date.now() / 1000) + 30 }), scopes, refresh)).toBe("at-2");
  });

  it("asks for a new sign-in when no refresh token is kept", async () => {
    await expect(accessToken(memoryStore({ accessToken: "x", expiresAt: 0 }), scopes, countingRefresher())).rejects.toBeInstanceOf(ReauthenticationRequired);
    await expect(accessToken(memoryStore(null), scopes, countingRefresher())).rejects.toBeInstanceOf(ReauthenticationRequired);
  });
});

describe("msalRefresher against the simulated issuer", () => {
  let sim: TestIssuer;
  let config: TenantConfig;

  beforeAll(async () => {
    sim = await startTestIssuer();
    config = {
      mode: "simulated",
      tenantId: tenant.tenantId,
      issuer: sim.issuer.issuer,
      clientId: tenant.portalClient.clientId,
      clientSecret: tenant.portalClient.clientSecret,
      graphBaseUrl: "https://127.0.0.1:1",
    };
  });

  afterAll(() => sim.close());

  it("turns the sign-in's refresh token into a token narrowed to the role's scopes", async () => {
    const reviewer = ACCOUNTS.find((a) => a.roleLabel === "Security Reader")!;
    const { tokens } = await signInWithCode(sim, reviewer.id, signInScopes());
    const refreshed = await msalRefresher(config)(tokens.refresh_token!, graphScopesFor("reviewer"));
    const claims = decodeJwt(refreshed.accessToken);
    expect(String(claims.scp).split(" ").sort()).toEqual(["Application.Read.All", "AuditLog.Read.All", "ConsentRequest.Read.All", "Directory.Read.All", "Policy.Read.All", "User.Read"]);
    expect(claims.oid).toBe(reviewer.id);
    expect(refreshed.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it("reports a refused refresh token (invalid_grant) as ReauthenticationRequired", async () => {
    await expect(msalRefresher(config)("not-a-refresh-token", graphScopesFor("user"))).rejects.toBeInstanceOf(ReauthenticationRequired);
  });
});
