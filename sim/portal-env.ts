import tenant from "./fixtures/tenant.json";

/**
 * What the portal must be told to use the simulated tenant: the issuer's and Graph's origins and the
 * portal's app registration there. `npm start` passes these to the portal's environment; the portal
 * itself (lib/env.ts) knows nothing of the simulator.
 */
export function simulatedTenantEnv(origins: { login: string; graph: string }) {
  return {
    SIM_LOGIN_ORIGIN: origins.login,
    SIM_GRAPH_ORIGIN: origins.graph,
    SIM_TENANT_ID: tenant.tenantId,
    SIM_CLIENT_ID: tenant.portalClient.clientId,
    SIM_CLIENT_SECRET: tenant.portalClient.clientSecret,
  };
}
