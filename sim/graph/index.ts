/**
 * The simulated Microsoft Graph for the consent portal.
 *
 *   const tenant = loadTenantFromFixtures();
 *   const handler = createGraphHandler({ tenant, issuer, keys: createLocalJWKSet(jwks), controlSecret });
 *   https.createServer(tlsOptions, handler).listen(port, "127.0.0.1");
 *
 * The issuer's interactive pages call the Tenant directly (evaluateSignIn, grantAdminConsent,
 * grantUserConsent, createConsentRequest, recordSignIn) so both paths share one state and one audit log.
 */
export { Tenant, type TenantSnapshot } from "./state/tenant";
export { loadTenantFromFixtures, type LoadOptions } from "./state/fixtures";
export { createGraphHandler, type GraphHandler, type GraphHandlerOptions } from "./server";
export { generateLargeTenant, type GenerateOptions, type GenerateResult } from "./generate";
export { FaultInjector, type FaultConfig, type FaultConfigInput } from "./http/faults";
export { GraphError } from "./state/errors";
export { ROLE } from "./state/roles";
export { MICROSOFT_GRAPH_APP_ID } from "./state/catalog";
export type { AdminConsentRequest, AdminConsentResult, ConsentRequestResult, ResourceScopes, SignInEvaluation } from "./state/consent";
export type * from "./state/types";
