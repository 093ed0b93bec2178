import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import tenantFixture from "../fixtures/tenant.json";
import type { Tenant } from "../graph";
import type { KnownApp, User } from "../graph/state/types";
import { RISKY_APP_REASON } from "../graph/state/consent-eval";
import { escapeHtml, page } from "./html";

/**
 * The user's side of consent, as Entra shows it: the `/adminconsent` screen and a "try to sign in to
 * this app" page that evaluates the tenant's real state (consent prompt, "Need admin approval",
 * "Approval required", or the app opening). Lets a person reproduce every screen of the vendor articles.
 */
type Form = URLSearchParams;
type Reply = { status: number; html: string } | { redirect: string };

const MICROSOFT_GRAPH = "00000003-0000-0000-c000-000000000000";

function members(tenant: Tenant): User[] {
  return [...tenant.state.users.values()];
}

function vendorApps(tenant: Tenant): KnownApp[] {
  return [...tenant.apps.values()];
}

function permissionList(app: KnownApp): string {
  const items = app.requiredResourceAccess.flatMap((resource) => {
    const resourceName = resource.resourceAppId === MICROSOFT_GRAPH ? "Microsoft Graph" : resource.resourceAppId;
    return [
      ...resource.scopes.map((scope) => `<li>${escapeHtml(scope)} <span class="meta">(${escapeHtml(resourceName)}, delegated)</span></li>`),
      ...resource.appRoles.map((role) => `<li>${escapeHtml(role)} <span class="meta">(${escapeHtml(resourceName)}, application)</span></li>`),
    ];
  });
  return `<ul class="permissions">${items.join("") || "<li>No permissions</li>"}</ul>`;
}

function accountOptions(tenant: Tenant, selected?: string): string {
  return members(tenant)
    .map((user) => `<option value="${escapeHtml(user.id)}"${user.id === selected ? " selected" : ""}>${escapeHtml(user.displayName)} (${escapeHtml(user.userPrincipalName)})</option>`)
    .join("");
}

function errorDetails(code: string, appId: string, correlationId: string, timestamp: string): string {
  return `<details open><summary>Troubleshooting details</summary><p class="meta" data-testid="error-details">
    Error code: ${escapeHtml(code)}<br>App ID: ${escapeHtml(appId)}<br>Correlation ID: ${escapeHtml(correlationId)}<br>Timestamp: ${escapeHtml(timestamp)}</p></details>`;
}

/**
 * Risk-based step-up consent stopped the user's own consent: Entra audits the attempt as a failed
 * "Consent to application" with "Risky application detected", and tells the user why.
 */
function riskyAppStepUp(tenant: Tenant, user: User, app: KnownApp): string {
  const sp = tenant.servicePrincipalByAppId(app.appId);
  tenant.audit({
    activity: "Consent to application", operationType: "Assign", actor: tenant.actorFor(user.id),
    result: "failure", resultReason: RISKY_APP_REASON,
    targets: [{ id: sp?.id ?? app.appId, displayName: app.displayName, type: "ServicePrincipal" }],
    additionalDetails: [{ key: "AppId", value: app.appId }],
  });
  return `<p class="error" data-testid="risky-app">This app may be risky. Your organization requires an admin to approve risky apps before you can use them.</p>`;
}

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`).join("");
}

/** GET / : pick who you are and which app to open. */
export function trySignInForm(tenant: Tenant): Reply {
  const apps = vendorApps(tenant).map((app) => `<option value="${escapeHtml(app.appId)}">${escapeHtml(app.displayName)}</option>`).join("");
  return {
    status: 200,
    html: page(
      "Try to sign in to an app",
      `<h1>Try to sign in to an app</h1>
       <p>See what Microsoft Entra would show a person of ${escapeHtml(tenantFixture.displayName)} who opens a third-party app.</p>
       <form method="post" action="/try-sign-in">
         <p><label>Account<br><select name="user">${accountOptions(tenant)}</select></label></p>
         <p><label>App<br><select name="app">${apps}</select></label></p>
         <button class="primary" type="submit">Sign in</button>
       </form>`,
    ),
  };
}

/** POST /try-sign-in : what Entra shows for this user and app now. */
export function trySignIn(tenant: Tenant, form: Form): Reply {
  const user = tenant.state.users.get(form.get("user") ?? "");
  const app = tenant.findApp(form.get("app") ?? "");
  if (!user || !app) return { status: 400, html: page("Error", "<h1>Unknown account or app</h1>") };
  const evaluation = tenant.evaluateSignIn(user.id, app.appId);
  const correlationId = randomUUID();
  const timestamp = new Date(tenant.nowMs()).toISOString();
  const ids = { user: user.id, app: app.appId };
  const signedInAs = `<p class="meta">${escapeHtml(user.userPrincipalName)}</p>`;
  switch (evaluation.kind) {
    case "ok":
      tenant.recordSignIn({ userId: user.id, appId: app.appId, errorCode: 0, correlationId });
      return { status: 200, html: page(app.displayName, `${signedInAs}<h1 data-testid="outcome">You're signed in to ${escapeHtml(app.displayName)}</h1><p>The app opened: consent covers everything it asked for.</p><p><a href="/">Try another</a></p>`) };
    case "consent-prompt":
      return {
        status: 200,
        html: page(
          "Permissions requested",
          `${signedInAs}<h1 data-testid="outcome">Permissions requested</h1>
           <p><strong>${escapeHtml(app.displayName)}</strong> (${escapeHtml(app.verifiedPublisher.displayName ?? app.publisherName)}) would like to:</p>
           ${permissionList(app)}
           <form method="post" action="/try-sign-in/consent">${hidden(ids)}
             <button class="primary" type="submit">Accept</button> <a href="/">Cancel</a></form>`,
        ),
      };
    case "need-admin-approval":
      tenant.recordSignIn({ userId: user.id, appId: app.appId, errorCode: Number(evaluation.code.slice("AADSTS".length)), failureReason: evaluation.reason, correlationId });
      return {
        status: 200,
        html: page(
          "Need admin approval",
          `${signedInAs}<h1 data-testid="outcome">Need admin approval</h1>
           <p>${escapeHtml(app.displayName)} needs permission to access resources in your organization that only an admin can grant.
           Please ask an admin to grant permission to this app before you can use it.</p>
           ${evaluation.riskyApp ? riskyAppStepUp(tenant, user, app) : ""}
           ${errorDetails(evaluation.code, app.appId, correlationId, timestamp)}<p><a href="/">Back</a></p>`,
        ),
      };
    case "approval-required":
      tenant.recordSignIn({ userId: user.id, appId: app.appId, errorCode: Number(evaluation.code.slice("AADSTS".length)), failureReason: evaluation.riskyApp ? RISKY_APP_REASON : null, correlationId });
      return {
        status: 200,
        html: page(
          "Approval required",
          `${signedInAs}<h1 data-testid="outcome">Approval required</h1>
           <p>${escapeHtml(app.displayName)} needs permission to access resources in your organization that only an admin can grant.</p>
           ${evaluation.riskyApp ? riskyAppStepUp(tenant, user, app) : ""}
           ${permissionList(app)}
           ${
             evaluation.existingRequestId
               ? `<p data-testid="request-pending">You already requested approval. An admin will review it.</p>`
               : `<form method="post" action="/try-sign-in/request">${hidden(ids)}
                  <p><label>Enter justification for requesting this app<br><textarea name="justification" rows="3" cols="40" required maxlength="1000"></textarea></label></p>
                  <button class="primary" type="submit">Request approval</button></form>`
           }
           ${errorDetails(evaluation.code, app.appId, correlationId, timestamp)}`,
        ),
      };
    case "blocked":
      tenant.recordSignIn({ userId: user.id, appId: app.appId, errorCode: Number(evaluation.code.replace(/\D/g, "")) || 50000, failureReason: evaluation.reason, correlationId });
      return {
        status: 200,
        html: page("Sign-in blocked", `${signedInAs}<h1 data-testid="outcome">Sorry, you can't use this app</h1><p>${escapeHtml(evaluation.reason)}</p>${errorDetails(evaluation.code, app.appId, correlationId, timestamp)}`),
      };
  }
}

/** POST /try-sign-in/consent : the user accepts the consent prompt. */
export function acceptUserConsent(tenant: Tenant, form: Form): Reply {
  tenant.grantUserConsent(form.get("user") ?? "", form.get("app") ?? "");
  return trySignIn(tenant, form);
}

/** POST /try-sign-in/request : the "Approval required" form creates an Entra consent request. */
export function requestApproval(tenant: Tenant, form: Form): Reply {
  const justification = (form.get("justification") ?? "").trim().slice(0, 1000);
  const app = tenant.findApp(form.get("app") ?? "");
  if (!justification || !app) return { status: 400, html: page("Error", "<h1>A justification is required</h1><p><a href=\"/\">Back</a></p>") };
  tenant.createConsentRequest(form.get("user") ?? "", app.appId, justification);
  return { status: 200, html: page("Request sent", `<h1 data-testid="outcome">Request sent</h1><p>Your request to use ${escapeHtml(app.displayName)} went to your organization's reviewers.</p><p><a href="/">Back</a></p>`) };
}

function consentRedirect(redirectUri: string, params: Record<string, string>): Reply {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { redirect: url.href };
}

/** Entra sends the admin back only to a reply URL of the app (or of the portal, here). */
function allowedRedirect(app: KnownApp, redirectUri: string | null, portalUrls: string[]): string | null {
  if (!redirectUri) return null;
  const ok = app.replyUrls.includes(redirectUri) || portalUrls.some((portal) => redirectUri.startsWith(`${portal}/`));
  return ok ? redirectUri : null;
}

/** GET and POST {tenant}/v2.0/adminconsent : the "Consent on behalf of your organization" screen. */
export function adminConsent(tenant: Tenant, method: string, params: URLSearchParams, portalUrls: string[]): Reply {
  const app = tenant.findApp(params.get("client_id") ?? "");
  if (!app) {
    return { status: 400, html: page("Error", `<h1>Sorry, but we’re having trouble signing you in.</h1><p class="error">AADSTS700016: Application with identifier '${escapeHtml(params.get("client_id") ?? "")}' was not found in the directory.</p>`) };
  }
  const redirectUri = allowedRedirect(app, params.get("redirect_uri"), portalUrls);
  if (params.get("redirect_uri") && !redirectUri) {
    return { status: 400, html: page("Error", `<h1>Sorry, but we’re having trouble signing you in.</h1><p class="error">AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.</p>`) };
  }
  const state = params.get("state") ?? "";
  const scope = params.get("scope") ?? "https://graph.microsoft.com/.default";
  if (method === "GET") {
    return {
      status: 200,
      html: page(
        "Permissions requested",
        `<h1>Permissions requested</h1><p><strong>${escapeHtml(app.displayName)}</strong> — ${app.verifiedPublisher.displayName ? `verified publisher ${escapeHtml(app.verifiedPublisher.displayName)}` : "unverified"}</p>
         <p>This app would like to, for everyone in ${escapeHtml(tenantFixture.displayName)}:</p>${permissionList(app)}
         <form method="post">${hidden({ client_id: app.appId, redirect_uri: redirectUri ?? "", state, scope })}
           <p><label>Sign in as<br><select name="user">${accountOptions(tenant)}</select></label></p>
           <p>If you accept, this app will get access to the specified resources for all users in your organization. No one else will be prompted to review these permissions.</p>
           <button class="primary" name="decision" value="accept" type="submit">Accept</button>
           <button class="secondary" name="decision" value="cancel" type="submit">Cancel</button></form>`,
      ),
    };
  }
  if (params.get("decision") !== "accept") {
    const error = { error: "access_denied", error_description: "AADSTS65004: User declined to consent to access the app.", state };
    return redirectUri ? consentRedirect(redirectUri, error) : { status: 200, html: page("Cancelled", "<h1 data-testid=\"outcome\">Consent was declined</h1><p>Nothing was granted.</p>") };
  }
  const user = tenant.state.users.get(params.get("user") ?? "");
  if (!user) return { status: 400, html: page("Error", "<h1>Unknown account</h1>") };
  try {
    tenant.grantAdminConsent(app.appId, {}, tenant.actorFor(user.id));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const description = `AADSTS90094: ${message}`;
    return redirectUri
      ? consentRedirect(redirectUri, { error: "access_denied", error_description: description, state })
      : { status: 403, html: page("Need admin approval", `<h1 data-testid="outcome">Need admin approval</h1><p class="error">${escapeHtml(description)}</p>`) };
  }
  return redirectUri
    ? consentRedirect(redirectUri, { admin_consent: "True", tenant: tenantFixture.tenantId, scope, state })
    : { status: 200, html: page("Consent granted", `<h1 data-testid="outcome">Consent granted</h1><p>${escapeHtml(app.displayName)} can now be used by everyone in ${escapeHtml(tenantFixture.displayName)}.</p><p><a href="/">Try signing in</a></p>`) };
}

export function sendReply(res: ServerResponse, reply: Reply) {
  if ("redirect" in reply) {
    res.writeHead(302, { location: reply.redirect, "cache-control": "no-store" });
    res.end();
    return;
  }
  res.writeHead(reply.status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(reply.html);
}

