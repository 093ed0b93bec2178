import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { simulatedTenantEnv } from "@/sim/portal-env";
import { EnvError, parseEnv, realTenantRequested, resolveTenant } from "./env";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test", AUTH_SECRET: "x".repeat(32) };
const sim = simulatedTenantEnv({ login: "https://127.0.0.1:3001", graph: "https://127.0.0.1:3002" });
const real = {
  AUTH_MICROSOFT_ENTRA_ID_ID: "11111111-2222-4333-8444-555555555555",
  AUTH_MICROSOFT_ENTRA_ID_SECRET: "secret",
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://login.microsoftonline.com/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/v2.0",
};

describe("resolveTenant", () => {
  it("uses the simulated tenant when no real tenant is configured", () => {
    const tenant = resolveTenant(sim);
    expect(tenant.mode).toBe("simulated");
    expect(tenant.issuer).toBe(`https://127.0.0.1:3001/${tenant.tenantId}/v2.0`);
    expect(tenant.graphBaseUrl).toBe("https://127.0.0.1:3002");
  });

  it("takes the simulated tenant's ID and the portal's registration there from the environment", () => {
    const tenant = resolveTenant({
      ...sim,
      SIM_TENANT_ID: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
      SIM_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
      SIM_CLIENT_SECRET: "another-secret",
    });
    expect(tenant).toMatchObject({
      tenantId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
      issuer: "https://127.0.0.1:3001/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/v2.0",
      clientId: "11111111-2222-4333-8444-555555555555",
      clientSecret: "another-secret",
    });
  });

  it("names what is missing of the simulated tenant's registration", () => {
    const { SIM_CLIENT_ID: _id, SIM_CLIENT_SECRET: _secret, ...partial } = sim;
    expect(() => resolveTenant(partial)).toThrow(/simulated tenant is half configured: set SIM_CLIENT_ID, SIM_CLIENT_SECRET as well/);
  });

  it("knows nothing of the simulator's own files", () => {
    const source = readFileSync(path.join(import.meta.dirname, "env.ts"), "utf8");
    expect(source).not.toMatch(/from\s+["'][^"']*sim\//);
  });

  it("pins a real tenant's issuer and tenant ID", () => {
    const tenant = resolveTenant({ ...real, ...sim });
    expect(tenant).toMatchObject({ mode: "real", tenantId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", graphBaseUrl: "https://graph.microsoft.com" });
  });

  it("names every missing variable of a half-configured real tenant", () => {
    expect(() => resolveTenant({ AUTH_MICROSOFT_ENTRA_ID_ID: real.AUTH_MICROSOFT_ENTRA_ID_ID })).toThrow(
      /set AUTH_MICROSOFT_ENTRA_ID_SECRET, AUTH_MICROSOFT_ENTRA_ID_ISSUER/,
    );
    expect(() => resolveTenant({ ...real, AUTH_MICROSOFT_ENTRA_ID_SECRET: "  " })).toThrow(/set AUTH_MICROSOFT_ENTRA_ID_SECRET as well/);
  });

  it.each(["common", "organizations", "consumers"])("refuses the multi-tenant issuer %s", (segment) => {
    expect(() => resolveTenant({ ...real, AUTH_MICROSOFT_ENTRA_ID_ISSUER: `https://login.microsoftonline.com/${segment}/v2.0` })).toThrow(
      /one tenant, never common/,
    );
  });

  it("says how to start when nothing is configured", () => {
    expect(() => resolveTenant({})).toThrow(/Run `npm start` to use the simulated tenant/);
  });
});

describe("parseEnv", () => {
  it("accepts a complete simulated configuration with defaults", () => {
    const env = parseEnv({ ...base, ...sim });
    expect(env.SESSION_IDLE_MINUTES).toBe(30);
    expect(env.tenant.mode).toBe("simulated");
  });

  it("reports each invalid variable by name", () => {
    const error = (() => {
      try {
        parseEnv({ ...sim, DATABASE_URL: "mysql://x", AUTH_SECRET: "short" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    expect(String(error)).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(String(error)).toMatch(/AUTH_SECRET: must be at least 32 characters/);
  });
});

describe("realTenantRequested", () => {
  it("is true as soon as any real-tenant variable is set", () => {
    expect(realTenantRequested({})).toBe(false);
    expect(realTenantRequested({ AUTH_MICROSOFT_ENTRA_ID_ISSUER: "x" })).toBe(true);
    expect(realTenantRequested({ AUTH_MICROSOFT_ENTRA_ID_ID: "" })).toBe(false);
  });
});
