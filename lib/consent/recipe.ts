import type { CatalogApp } from "@/lib/catalog";
import { describePermission, MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { MICROSOFT_MANAGED_ADMIN_ONLY, type UserConsentChoice } from "./user-consent/plan";

/**
 * "Which of the vendor's options should I pick?" The consent paths the vendor articles describe, judged
 * against the app's permissions and the tenant's settings, with one recommended and the reasons. Pure.
 */

export type RecipeOptionId = "grant" | "workflow" | "user-consent";

export type RecipeOption = {
  id: RecipeOptionId;
  title: string;
  summary: string;
  /** Whether this path can work at all for this app, and why not when it cannot. */
  possible: boolean;
  why: string[];
  href: string;
};

export type Recipe = { recommended: RecipeOptionId; reasons: string[]; options: RecipeOption[] };

const OIDC = new Set(["openid", "profile", "email", "offline_access"]);

export function recipeFor(
  app: CatalogApp,
  tenant: { userConsent: UserConsentChoice | "custom"; workflowEnabled: boolean; lowClassified: string[]; alreadyGrantedTenantWide: boolean },
): Recipe {
  const graph = app.permissions.find((p) => p.resourceAppId === MICROSOFT_GRAPH_APP_ID);
  const otherApis = app.permissions.filter((p) => p.resourceAppId !== MICROSOFT_GRAPH_APP_ID && (p.scopes.length > 0 || p.appRoles.length > 0));
  const scopes = (graph?.scopes ?? []).filter((scope) => !OIDC.has(scope.toLowerCase()));
  const adminOnly = scopes.filter((scope) => describePermission(MICROSOFT_GRAPH_APP_ID, "delegated", scope).adminConsentRequired);
  const appRoles = app.permissions.flatMap((p) => p.appRoles);
  const low = new Set(tenant.lowClassified.map((s) => s.toLowerCase()));
  const notLow = scopes.filter((scope) => !low.has(scope.toLowerCase()));
  const highRisk = scopes.filter((scope) => ["High", "Critical"].includes(describePermission(MICROSOFT_GRAPH_APP_ID, "delegated", scope).risk));

  // MC1097272: under the Microsoft-managed setting a third-party app's Files/Sites access needs an admin.
  const managedAdminOnly = new Set<string>(MICROSOFT_MANAGED_ADMIN_ONLY.map((scope) => scope.toLowerCase()));
  const filesAndSites = tenant.userConsent === "recommended" ? scopes.filter((scope) => managedAdminOnly.has(scope.toLowerCase())) : [];
  const userConsentBlockers = [
    ...(appRoles.length > 0 ? [`it needs application permissions (${appRoles.join(", ")}), which only an admin can grant`] : []),
    ...(adminOnly.length > 0 ? [`${adminOnly.join(", ")} always need${adminOnly.length === 1 ? "s" : ""} admin consent`] : []),
    ...(!app.verifiedPublisher ? ["its publisher is not verified, so the recommended user-consent setting never lets users consent to it"] : []),
    ...(otherApis.length > 0 ? ["it asks for permissions on other APIs, which low-impact classifications of Microsoft Graph do not cover"] : []),
    ...(filesAndSites.length > 0
      ? [`your tenant lets Microsoft manage user consent, and Microsoft requires an admin for a third-party app's ${filesAndSites.join(", ")} (since mid-2025)`]
      : []),
  ];
  // The Microsoft-managed setting admits the same apps and permissions as the verified-publishers one, on Microsoft's conditions.
  const lowLike = tenant.userConsent === "low" || tenant.userConsent === "recommended";
  const userConsentPossible = userConsentBlockers.length === 0;

  const options: RecipeOption[] = [
    {
      id: "grant",
      title: "Grant tenant-wide admin consent",
      summary: "You consent once for everyone (“Consent on behalf of your organization”); users are never asked.",
      possible: true,
      why: [
        tenant.alreadyGrantedTenantWide ? "Part of this is granted already: the wizard adds only what is missing." : "Works for every permission the app asks for.",
        highRisk.length > 0 ? `Every user's ${highRisk.join(", ")} becomes available to the app: review the risk first.` : "None of its delegated permissions is rated high risk.",
      ],
      href: `/admin/apps/${app.appId}/grant`,
    },
    {
      id: "workflow",
      title: "Admin consent workflow",
      summary: "Users who need the app ask for it from Entra's “Approval required” screen; chosen reviewers approve or deny.",
      possible: true,
      why: [
        tenant.workflowEnabled ? "The workflow is already on in your tenant." : "The workflow is off in your tenant: turning it on is one wizard.",
        "Access is decided per request, with a justification from the user.",
      ],
      href: "/admin/policies/consent-workflow",
    },
    {
      id: "user-consent",
      title: "Let users consent (verified publishers, low-impact permissions)",
      summary: "Users consent for themselves to this app's permissions once you classify them as low impact.",
      possible: userConsentPossible,
      why: userConsentPossible
        ? [
            tenant.userConsent === "low"
              ? "Your tenant already uses this setting."
              : tenant.userConsent === "recommended"
                ? "Your tenant lets Microsoft manage user consent, which today works the same way for this app; Microsoft may change its conditions."
                : "Your tenant uses a different user-consent setting: the user-consent wizard changes it.",
            notLow.length > 0 ? `Classify as low impact: ${notLow.join(", ")}.` : "Its permissions are already classified as low impact.",
          ]
        : userConsentBlockers.map((reason) => `Not possible: ${reason}.`),
      href: notLow.length > 0 ? "/admin/policies/classifications" : "/admin/policies/user-consent",
    },
  ];

  const reasons: string[] = [];
  let recommended: RecipeOptionId = "grant";
  if (appRoles.length > 0 || adminOnly.length > 0) {
    reasons.push(
      appRoles.length > 0
        ? "The app needs application permissions, so an admin must grant them whatever else you choose."
        : `${adminOnly.join(", ")} need${adminOnly.length === 1 ? "s" : ""} admin consent, so users could never consent themselves.`,
    );
  } else if (tenant.workflowEnabled) {
    recommended = "workflow";
    reasons.push("Your tenant already routes requests to reviewers, so each user's need is justified and decided.");
  } else if (userConsentPossible && lowLike && notLow.length === 0) {
    recommended = "user-consent";
    reasons.push("Users can already consent to this app themselves: nothing to change.");
  } else {
    reasons.push("Everyone who uses the app gets it at once, with one audited decision and no requests to review.");
  }
  if (highRisk.length > 0) reasons.push(`Mind the risk: ${highRisk.join(", ")} ${highRisk.length === 1 ? "is" : "are"} rated high.`);
  return { recommended, reasons, options };
}
