import { newGuid } from "./ids";
import type {
  Actor, DelegatedPermissionClassification, DirectoryAudit, Group, KnownApp, ModifiedProperty,
  OAuth2PermissionGrant, ServicePrincipal, TenantState, User,
} from "./types";
import * as sp from "./sp-ops";
import * as grants from "./grant-ops";
import * as assignments from "./assignment-ops";
import * as policies from "./policy-ops";
import * as consent from "./consent";
import * as logs from "./log-ops";
import { VersionedMap } from "./versioned-map";

export type TenantSnapshot = TenantState;

export interface AuditInput {
  activity: string;
  category?: string;
  operationType: "Add" | "Update" | "Delete" | "Assign" | "Unassign";
  actor: Actor;
  targets: { id: string; displayName: string | null; type: string; userPrincipalName?: string | null; modifiedProperties?: ModifiedProperty[] }[];
  additionalDetails?: { key: string; value: string }[];
  result?: "success" | "failure";
  resultReason?: string;
}

/**
 * The simulated Entra tenant: everything in memory, loaded from fixtures. Graph routes and the
 * issuer's interactive pages (admin consent, "sign in to this app") both call these methods, so a
 * change made either way is visible to the other and audited the same way.
 */
export class Tenant {
  state: TenantState;
  /** multi-tenant apps the simulated cloud knows (home-tenant application objects) */
  readonly apps: ReadonlyMap<string, KnownApp>;
  readonly #initial: TenantSnapshot;
  #spByAppId = new Map<string, string>();
  #clock: () => number;

  constructor(state: TenantState, apps: ReadonlyMap<string, KnownApp>, opts: { clock?: () => number } = {}) {
    this.#initial = structuredClone(state);
    this.state = state;
    this.apps = apps;
    this.#clock = opts.clock ?? Date.now;
    this.#reindex();
  }

  get id(): string {
    return this.state.organization.id;
  }
  #clockOffsetMs = 0;
  nowMs(): number {
    return this.#clock() + this.#clockOffsetMs;
  }
  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }
  /** Moves the simulated clock forward (e.g. past a consent request's lifetime); reset() undoes it. */
  advanceClock(ms: number): void {
    this.#clockOffsetMs += ms;
  }

  // ── snapshot / restore ────────────────────────────────────────────────────────────────────
  snapshot(): TenantSnapshot {
    return structuredClone(this.state);
  }
  restore(snapshot: TenantSnapshot): void {
    this.state = structuredClone(snapshot);
    this.#reindex();
  }
  reset(): void {
    this.#clockOffsetMs = 0;
    this.restore(this.#initial);
  }
  #reindex(): void {
    // the large collections count their changes, so routes can reuse their per-client/per-resource views
    this.state.servicePrincipals = new VersionedMap(this.state.servicePrincipals);
    this.state.grants = new VersionedMap(this.state.grants);
    this.state.appRoleAssignments = new VersionedMap(this.state.appRoleAssignments);
    this.#spByAppId = new Map([...this.state.servicePrincipals.values()].map((s) => [s.appId.toLowerCase(), s.id]));
  }

  // ── lookups ───────────────────────────────────────────────────────────────────────────────
  user(idOrUpn: string): User | undefined {
    const direct = this.state.users.get(idOrUpn);
    if (direct) return direct;
    const needle = idOrUpn.toLowerCase();
    for (const u of this.state.users.values()) if (u.userPrincipalName.toLowerCase() === needle) return u;
    return undefined;
  }
  group(id: string): Group | undefined {
    return this.state.groups.get(id);
  }
  servicePrincipal(id: string): ServicePrincipal | undefined {
    return this.state.servicePrincipals.get(id);
  }
  servicePrincipalByAppId(appId: string): ServicePrincipal | undefined {
    const id = this.#spByAppId.get(appId.toLowerCase());
    return id === undefined ? undefined : this.state.servicePrincipals.get(id);
  }
  /** A known app: the vendor catalog first, else whatever is already instantiated in the tenant. */
  findApp(appId: string): KnownApp | undefined {
    const known = this.apps.get(appId.toLowerCase());
    if (known) return known;
    const s = this.servicePrincipalByAppId(appId);
    if (!s) return undefined;
    return {
      appId: s.appId, displayName: s.displayName, publisherName: s.publisherName ?? "",
      publisherTenantId: s.appOwnerOrganizationId ?? "", verifiedPublisher: s.verifiedPublisher,
      homepage: s.homepage, replyUrls: s.replyUrls, risky: false, requiredResourceAccess: [], article: null,
    };
  }
  /** Directory role template ids held by a user (from the role assignments). */
  rolesOf(userId: string): string[] {
    return this.state.roleAssignments.filter((r) => r.principalId === userId).map((r) => r.roleDefinitionId);
  }
  /** Users in a group, following nested groups (transitiveMembers/microsoft.graph.user). */
  transitiveUserIds(groupId: string, seen = new Set<string>()): Set<string> {
    const out = new Set<string>();
    if (seen.has(groupId)) return out;
    seen.add(groupId);
    for (const m of this.state.groups.get(groupId)?.memberIds ?? []) {
      if (this.state.users.has(m)) out.add(m);
      else for (const u of this.transitiveUserIds(m, seen)) out.add(u);
    }
    return out;
  }
  classificationsFor(spId: string): DelegatedPermissionClassification[] {
    return this.state.classifications.get(spId) ?? [];
  }
  grantsOf(clientId: string): OAuth2PermissionGrant[] {
    return [...this.state.grants.values()].filter((g) => g.clientId === clientId);
  }

  // ── bookkeeping used by the write modules ─────────────────────────────────────────────────
  /** @internal */ indexServicePrincipal(s: ServicePrincipal): void {
    this.#spByAppId.set(s.appId.toLowerCase(), s.id);
  }
  /** @internal */ unindexServicePrincipal(s: ServicePrincipal): void {
    this.#spByAppId.delete(s.appId.toLowerCase());
  }
  /** @internal */ markCreated(id: string): void {
    this.state.createdAtMs.set(id, this.nowMs());
  }

  audit(input: AuditInput): DirectoryAudit {
    const a = input.actor;
    const entry: DirectoryAudit = {
      id: `Directory_${newGuid()}`,
      category: input.category ?? "ApplicationManagement",
      correlationId: newGuid(),
      result: input.result ?? "success",
      resultReason: input.resultReason ?? "",
      activityDisplayName: input.activity,
      activityDateTime: this.nowIso(),
      loggedByService: "Core Directory",
      operationType: input.operationType,
      initiatedBy:
        a.kind === "user"
          ? { user: { id: a.id, displayName: a.displayName, userPrincipalName: a.userPrincipalName, ipAddress: a.ipAddress ?? null }, app: null }
          : { user: null, app: { appId: a.appId, displayName: a.displayName, servicePrincipalId: a.servicePrincipalId, servicePrincipalName: a.displayName } },
      targetResources: input.targets.map((t) => ({
        id: t.id, displayName: t.displayName, type: t.type, userPrincipalName: t.userPrincipalName ?? null,
        modifiedProperties: t.modifiedProperties ?? [],
      })),
      additionalDetails: input.additionalDetails ?? [],
    };
    this.state.directoryAudits.push(entry);
    return entry;
  }

  /** An Actor for a user of this tenant (what the issuer's pages pass in). */
  actorFor(userId: string, ipAddress: string | null = null): Actor {
    const u = this.state.users.get(userId);
    return { kind: "user", id: userId, displayName: u?.displayName ?? null, userPrincipalName: u?.userPrincipalName ?? null, ipAddress, roles: this.rolesOf(userId) };
  }

  // ── domain operations (implemented in the *-ops modules) ─────────────────────────────────
  createServicePrincipal = (appId: string, actor: Actor, props?: sp.SpCreateProps) => sp.createServicePrincipal(this, appId, actor, props);
  ensureServicePrincipal = (appId: string, actor: Actor) => sp.ensureServicePrincipal(this, appId, actor);
  updateServicePrincipal = (id: string, patch: sp.SpPatch, actor: Actor) => sp.updateServicePrincipal(this, id, patch, actor);
  deleteServicePrincipal = (id: string, actor: Actor) => sp.deleteServicePrincipal(this, id, actor);

  createGrant = (input: grants.GrantInput, actor: Actor) => grants.createGrant(this, input, actor);
  updateGrantScope = (id: string, scope: string, actor: Actor) => grants.updateGrantScope(this, id, scope, actor);
  deleteGrant = (id: string, actor: Actor) => grants.deleteGrant(this, id, actor);
  addClassification = (spId: string, input: grants.ClassificationInput, actor: Actor) => grants.addClassification(this, spId, input, actor);
  removeClassification = (spId: string, id: string, actor: Actor) => grants.removeClassification(this, spId, id, actor);

  createAppRoleAssignment = (resourceSpId: string, input: assignments.AssignmentInput, actor: Actor) =>
    assignments.createAppRoleAssignment(this, resourceSpId, input, actor);
  deleteAppRoleAssignment = (resourceSpId: string, id: string, actor: Actor) => assignments.deleteAppRoleAssignment(this, resourceSpId, id, actor);

  updateAuthorizationPolicy = (patch: policies.AuthorizationPolicyPatch, actor: Actor) => policies.updateAuthorizationPolicy(this, patch, actor);
  setAdminConsentRequestPolicy = (p: policies.AdminConsentRequestPolicyInput, actor: Actor) => policies.setAdminConsentRequestPolicy(this, p, actor);
  setUserConsentMode = (mode: policies.UserConsentMode, actor: Actor) => policies.setUserConsentMode(this, mode, actor);
  createDirectorySetting = (input: policies.DirectorySettingInput, actor: Actor) => policies.createDirectorySetting(this, input, actor);
  updateDirectorySetting = (id: string, values: { name: string; value: string }[], actor: Actor) => policies.updateDirectorySetting(this, id, values, actor);
  reviewerUserIds = () => policies.reviewerUserIds(this);

  grantAdminConsent = (appId: string, request: consent.AdminConsentRequest, actor: Actor) => consent.grantAdminConsent(this, appId, request, actor);
  grantUserConsent = (userId: string, appId: string, scopes?: consent.ResourceScopes[]) => consent.grantUserConsent(this, userId, appId, scopes);
  evaluateSignIn = (userId: string, appId: string, scopes?: consent.ResourceScopes[]) => consent.evaluateSignIn(this, userId, appId, scopes);
  createConsentRequest = (userId: string, appId: string, reason: string) => consent.createConsentRequest(this, userId, appId, reason);
  settleConsentRequests = () => consent.settleConsentRequests(this);
  denyConsentRequest = (requestId: string, reviewerId: string, justification: string) => consent.denyConsentRequest(this, requestId, reviewerId, justification);

  recordSignIn = (input: logs.SignInInput) => logs.recordSignIn(this, input);
}
