import { z } from "zod";
import { notFound } from "../state/errors";
import { conditionSetSchema } from "../state/fixture-schemas";
import { CONSENT_SETTINGS_TEMPLATE_ID, consentSettingsTemplate } from "../state/policy-ops";
import { addConditionSet, createPermissionGrantPolicy, deletePermissionGrantPolicy } from "../state/grant-policy-ops";
import { ROLES } from "../state/roles";
import { need } from "../http/auth";
import type { RequestCtx } from "../http/context";
import { entityResponse, listResponse, type CollectionSpec } from "../odata/query";
import { noContent, parseBody, route, type Route } from "./common";
import { toGraph } from "../serialize";

const grantPoliciesSpec: CollectionSpec = {
  entitySet: "policies/permissionGrantPolicies", resource: "microsoft.graph.permissionGrantPolicy",
  filterable: new Set(["id", "displayName", "resourceScopeType"]),
};
const conditionSetsSpec: CollectionSpec = {
  entitySet: "permissionGrantConditionSets", resource: "microsoft.graph.permissionGrantConditionSet",
  filterable: new Set(["id", "permissionType", "permissionClassification", "resourceApplication"]),
};
const settingsSpec: CollectionSpec = { entitySet: "settings", resource: "microsoft.graph.directorySetting", filterable: new Set(["id", "templateId", "displayName"]) };

const authorizationPatch = z.strictObject({
  defaultUserRolePermissions: z.strictObject({ permissionGrantPoliciesAssigned: z.array(z.string()) }).optional(),
});
// allowUserConsentForRiskyApps is a beta property: v1.0 neither shows nor accepts it.
const authorizationPatchBeta = authorizationPatch.extend({ allowUserConsentForRiskyApps: z.boolean().optional() });

const authorizationPolicyView = (ctx: RequestCtx) => toGraph.authorizationPolicy(ctx.tenant.state.authorizationPolicy, ctx.version);
const consentRequestPolicy = z.object({
  isEnabled: z.boolean(),
  notifyReviewers: z.boolean(),
  remindersEnabled: z.boolean(),
  requestDurationInDays: z.number(),
  reviewers: z.array(z.object({ query: z.string(), queryType: z.string(), queryRoot: z.string().nullable().optional() })),
  version: z.number().optional(),
});
const newPolicy = z.object({ id: z.string().min(1).max(100), displayName: z.string().min(1), description: z.string().default("") });
const settingValues = z.array(z.object({ name: z.string(), value: z.string() }));

const policyReadAny = need("Policy.Read.All | Policy.Read.PermissionGrant", ROLES.member);


const grantPolicyView = toGraph.permissionGrantPolicyProperties;
const policyOr404 = (ctx: RequestCtx, id: string) => {
  const p = ctx.tenant.state.permissionGrantPolicies.get(id);
  if (!p) throw notFound(id);
  return p;
};

export const policyRoutes: Route[] = [
  route("GET", "/policies/authorizationPolicy", need("Policy.Read.All | Policy.ReadWrite.Authorization", ROLES.member), (ctx) =>
    entityResponse(ctx, "policies/authorizationPolicy", "microsoft.graph.authorizationPolicy", authorizationPolicyView(ctx))),
  route("PATCH", "/policies/authorizationPolicy", need("Policy.ReadWrite.Authorization", ROLES.policyAdmins), (ctx) => {
    ctx.tenant.updateAuthorizationPolicy(parseBody(ctx, ctx.version === "beta" ? authorizationPatchBeta : authorizationPatch), ctx.caller.actor);
    return noContent();
  }),

  route("GET", "/policies/adminConsentRequestPolicy", need("Policy.Read.ConsentRequest | Policy.ReadWrite.ConsentRequest", ROLES.policyReaders), (ctx) =>
    entityResponse(ctx, "policies/adminConsentRequestPolicy", "microsoft.graph.adminConsentRequestPolicy", toGraph.adminConsentRequestPolicy(ctx.tenant.state.adminConsentRequestPolicy))),
  route("PUT", "/policies/adminConsentRequestPolicy", need("Policy.ReadWrite.ConsentRequest", ROLES.consentRequestPolicyAdmins), (ctx) => {
    const body = parseBody(ctx, consentRequestPolicy);
    ctx.tenant.setAdminConsentRequestPolicy({ ...body, reviewers: body.reviewers.map((r) => ({ ...r, queryRoot: r.queryRoot ?? null })) }, ctx.caller.actor);
    return noContent();
  }),

  route("GET", "/policies/permissionGrantPolicies", policyReadAny, (ctx) =>
    listResponse(ctx, grantPoliciesSpec, ctx.tenant.state.permissionGrantPolicies.values(), undefined, toGraph.permissionGrantPolicy)),
  route("POST", "/policies/permissionGrantPolicies", need("Policy.ReadWrite.PermissionGrant", ROLES.policyAdmins), (ctx) => {
    const p = createPermissionGrantPolicy(ctx.tenant, parseBody(ctx, newPolicy), ctx.caller.actor);
    return entityResponse(ctx, grantPoliciesSpec.entitySet, grantPoliciesSpec.resource, grantPolicyView(p), 201);
  }),
  route("GET", "/policies/permissionGrantPolicies/{id}", policyReadAny, (ctx, p) =>
    entityResponse(ctx, grantPoliciesSpec.entitySet, grantPoliciesSpec.resource, toGraph.permissionGrantPolicy(policyOr404(ctx, p.id ?? "")))),
  route("DELETE", "/policies/permissionGrantPolicies/{id}", need("Policy.ReadWrite.PermissionGrant", ROLES.policyAdmins), (ctx, p) => {
    deletePermissionGrantPolicy(ctx.tenant, p.id ?? "", ctx.caller.actor);
    return noContent();
  }),
  ...(["includes", "excludes"] as const).flatMap((which) => [
    route("GET", `/policies/permissionGrantPolicies/{id}/${which}`, policyReadAny, (ctx, p) =>
      listResponse(ctx, { ...conditionSetsSpec, entitySet: `policies/permissionGrantPolicies('${p.id ?? ""}')/${which}` }, policyOr404(ctx, p.id ?? "")[which], undefined, toGraph.permissionGrantConditionSet)),
    route("POST", `/policies/permissionGrantPolicies/{id}/${which}`, need("Policy.ReadWrite.PermissionGrant", ROLES.policyAdmins), (ctx, p) => {
      const { id: _id, ...c } = parseBody(ctx, conditionSetSchema.extend({ id: z.string().optional() }));
      const set = addConditionSet(ctx.tenant, p.id ?? "", which, c, ctx.caller.actor);
      return entityResponse(ctx, conditionSetsSpec.entitySet, conditionSetsSpec.resource, toGraph.permissionGrantConditionSet(set), 201);
    }),
  ]),

  // beta only: the group consent settings object (template dffd5d46-…)
  route("GET", "/settings", need("Directory.Read.All | Policy.Read.All", ROLES.member), (ctx) =>
    listResponse(ctx, settingsSpec, ctx.tenant.state.directorySettings, undefined, toGraph.directorySetting), ["beta"]),
  route("GET", "/settings/{id}", need("Directory.Read.All | Policy.Read.All", ROLES.member), (ctx, p) => {
    const s = ctx.tenant.state.directorySettings.find((x) => x.id === p.id);
    if (!s) throw notFound(p.id ?? "");
    return entityResponse(ctx, "settings", settingsSpec.resource, toGraph.directorySetting(s));
  }, ["beta"]),
  route("GET", "/directorySettingTemplates/{id}", need("Directory.Read.All | Policy.Read.All", ROLES.member), (ctx, p) => {
    if ((p.id ?? "").toLowerCase() !== CONSENT_SETTINGS_TEMPLATE_ID) throw notFound(p.id ?? "");
    return entityResponse(ctx, "directorySettingTemplates", "microsoft.graph.directorySettingTemplate", toGraph.directorySettingTemplate(consentSettingsTemplate(ctx.tenant)));
  }, ["beta"]),
  route("POST", "/settings", need("Directory.ReadWrite.All", ROLES.globalAdminOnly), (ctx) => {
    const body = parseBody(ctx, z.object({ templateId: z.string(), values: settingValues, displayName: z.string().optional() }));
    return entityResponse(ctx, "settings", settingsSpec.resource, toGraph.directorySetting(ctx.tenant.createDirectorySetting(body, ctx.caller.actor)), 201);
  }, ["beta"]),
  route("PATCH", "/settings/{id}", need("Directory.ReadWrite.All", ROLES.globalAdminOnly), (ctx, p) => {
    ctx.tenant.updateDirectorySetting(p.id ?? "", parseBody(ctx, z.object({ values: settingValues })).values, ctx.caller.actor);
    return noContent();
  }, ["beta"]),
];
