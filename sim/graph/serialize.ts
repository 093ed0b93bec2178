import type * as Graph from "@microsoft/microsoft-graph-types";
import type * as S from "./state/types";

/**
 * What the simulated tenant sends, checked against Microsoft's types (`@microsoft/microsoft-graph-types`,
 * generated from Graph's published v1.0 metadata). Every resource leaves the simulator through one of the
 * `toGraph` functions below, each typed with `asGraph<GraphType>()`: a property Graph's metadata does not
 * declare (at any depth), or a value of the wrong type, fails `tsc`. Where Graph really sends something
 * its v1.0 metadata omits, the extension is named below with the reason, never hidden in a cast.
 */

/** `@odata.type` and other OData control information are annotations, not properties. */
type Annotation = `@odata.${string}`;
type Prefix<K extends string, P> = P extends string ? `${K}.${P}` : never;

/**
 * The paths (e.g. "verifiedPublisher.nmae") of properties in `T` that Graph's type `G` does not declare.
 * When `G` is assignable to `T` (TypeScript instantiates `T` as `G` while contextually typing a
 * literal) there is nothing to find, and walking Graph's deeply recursive types would not end.
 */
export type NotInGraph<T, G> =
  [NonNullable<G>] extends [T]
    ? never
    : T extends readonly (infer E)[]
      ? NonNullable<G> extends readonly (infer GE)[] ? NotInGraph<E, GE> : never
      : T extends object
        ? {
            [K in keyof T & string]-?: K extends Annotation
              ? never
              : K extends keyof NonNullable<G>
                ? Prefix<K, NotInGraph<T[K], NonNullable<G>[K]>>
                : K;
          }[keyof T & string]
        : never;

type OnlyGraphProperties<T, G> = [NotInGraph<T, G>] extends [never] ? unknown : { "property not in Graph's metadata": NotInGraph<T, G> };

/**
 * `asGraph<Graph.User>()(value)` returns `value` unchanged, and fails the type check when `value` has a
 * property `Graph.User` lacks or a property of the wrong type. (Curried so `T` is inferred from `value`.)
 */
export const asGraph = <G>() => <T extends G>(value: T & NoInfer<OnlyGraphProperties<T, G>>): T => value;

// ---------------------------------------------------------------------------------------------------------
// Named extensions: what Graph sends beyond the v1.0 metadata the types are generated from.

/**
 * Graph returns `publisherName` on service principals (lib/graph's ServicePrincipalWithPublisher reads
 * it), and the advanced query page lists `createdDateTime` as sortable on servicePrincipal; the v1.0
 * metadata declares neither.
 */
export type ServicePrincipalAsSent = Graph.ServicePrincipal & { publisherName?: string | null; createdDateTime?: string | null };

/**
 * `includeAllPreApprovedApplications` and `resourceScopeType` are on Microsoft Learn's permissionGrantPolicy
 * page (resource-specific consent policies are scoped by them); the typings' metadata predates them.
 */
export type PermissionGrantPolicyAsSent = Omit<Graph.PermissionGrantPolicy, "includes" | "excludes"> & {
  includeAllPreApprovedApplications?: boolean | null;
  resourceScopeType?: string | null;
  includes?: PermissionGrantConditionSetAsSent[] | null;
  excludes?: PermissionGrantConditionSetAsSent[] | null;
};
/** `certifiedClientApplicationsOnly` is on the beta permissionGrantConditionSet page and in Graph's answers; v1.0's metadata lacks it. */
export type PermissionGrantConditionSetAsSent = Graph.PermissionGrantConditionSet & { certifiedClientApplicationsOnly?: boolean | null };

/**
 * `createdBy.user` is typed `identity` in the metadata, but Graph sends the derived userIdentity (with
 * userPrincipalName), as OData allows; lib/graph's PendingUserConsentRequest reads it the same way.
 */
export type UserConsentRequestAsSent = Omit<Graph.UserConsentRequest, "createdBy"> & { createdBy?: { user?: Graph.UserIdentity | null } | null };

/**
 * The beta `directorySetting` (the only version serving /settings) is v1.0's `groupSetting` under another
 * name; the same for its template.
 */
export type DirectorySettingAsSent = Graph.GroupSetting;
export type DirectorySettingTemplateAsSent = Graph.GroupSettingTemplate;

// ---------------------------------------------------------------------------------------------------------
// Internal state → Graph JSON.

const directoryType = <N extends string>(name: N) => ({ "@odata.type": `#microsoft.graph.${name}` as const });

export const toGraph = {
  servicePrincipal: (s: S.ServicePrincipal) => asGraph<ServicePrincipalAsSent>()(s),
  /** as a member of a mixed directoryObject collection (getByIds, directoryObjects/{id}): with its type */
  servicePrincipalObject: (s: S.ServicePrincipal) => asGraph<ServicePrincipalAsSent>()({ ...directoryType("servicePrincipal"), ...s }),
  oauth2PermissionGrant: (g: S.OAuth2PermissionGrant) => asGraph<Graph.OAuth2PermissionGrant>()(g),
  appRoleAssignment: (a: S.AppRoleAssignment) => asGraph<Graph.AppRoleAssignment>()(a),
  delegatedPermissionClassification: (c: S.DelegatedPermissionClassification) => asGraph<Graph.DelegatedPermissionClassification>()(c),
  user: (u: S.User) => asGraph<Graph.User>()({ ...directoryType("user"), ...u }),
  // memberIds is the simulator's own bookkeeping: Graph serves members through /members
  group: ({ memberIds: _m, ...g }: S.Group) => asGraph<Graph.Group>()({ ...directoryType("group"), ...g }),
  roleAssignment: (r: S.RoleAssignment) => asGraph<Graph.UnifiedRoleAssignment>()(r),
  organization: (o: S.Tenant0) =>
    asGraph<Graph.Organization>()({
      id: o.id, displayName: o.displayName, createdDateTime: o.createdDateTime, tenantType: "AAD",
      verifiedDomains: [{ name: o.defaultDomain, isDefault: true, isInitial: true, type: "Managed", capabilities: "Email, OfficeCommunicationsOnline" }],
    }),
  /** v1.0 sends no allowUserConsentForRiskyApps: the simulator serves risk-based step-up consent on beta only, as Entra documents it. */
  authorizationPolicy: (p: S.AuthorizationPolicy, version: "v1.0" | "beta") => {
    const { allowUserConsentForRiskyApps, ...v1 } = p;
    return version === "beta" ? asGraph<Graph.AuthorizationPolicy>()({ ...v1, allowUserConsentForRiskyApps }) : asGraph<Graph.AuthorizationPolicy>()(v1);
  },
  adminConsentRequestPolicy: (p: S.AdminConsentRequestPolicy) => asGraph<Graph.AdminConsentRequestPolicy>()(p),
  permissionGrantPolicy: (p: S.PermissionGrantPolicy) => asGraph<PermissionGrantPolicyAsSent>()(p),
  /** as POST answers: the new policy without its (empty) condition sets */
  permissionGrantPolicyProperties: ({ includes: _i, excludes: _e, ...p }: S.PermissionGrantPolicy) => asGraph<PermissionGrantPolicyAsSent>()(p),
  permissionGrantConditionSet: (c: S.PermissionGrantConditionSet) => asGraph<PermissionGrantConditionSetAsSent>()(c),
  directorySetting: (s: S.DirectorySetting) => asGraph<DirectorySettingAsSent>()(s),
  directorySettingTemplate: (t: { id: string; displayName: string; description: string; values: { name: string; type: string; defaultValue: string }[] }) =>
    asGraph<DirectorySettingTemplateAsSent>()(t),
  // userConsentRequests is a navigation property: listed through its own segment, not returned inline
  appConsentRequest: ({ userConsentRequests: _u, ...r }: S.AppConsentRequest) => asGraph<Graph.AppConsentRequest>()(r),
  userConsentRequest: (u: S.UserConsentRequest) => asGraph<UserConsentRequestAsSent>()(u),
  directoryAudit: (a: S.DirectoryAudit) => asGraph<Graph.DirectoryAudit>()(a),
  signIn: (s: S.SignIn) => asGraph<Graph.SignIn>()(s),
};
