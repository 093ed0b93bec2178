/**
 * Sign-in errors people bring, in plain words with the next step (GRAPH.md "Sign-in errors users
 * bring"). Pure: a table and a lookup.
 */
export type ErrorExplanation = {
  code: string;
  title: string;
  meaning: string;
  /** What the person should do now. */
  nextStep: string;
  /** What an admin or reviewer can do, when it differs. */
  adminStep: string | null;
  /** Whether asking for approval through the portal can help. */
  requestHelps: boolean;
};

const TABLE: ErrorExplanation[] = [
  {
    code: "AADSTS65001", title: "No consent yet",
    meaning: "Nobody has consented to this app (or to one of the permissions it asks for) for you or your organization yet.",
    nextStep: "Check the app's status: you may be able to consent yourself, otherwise request approval.",
    adminStep: "Grant tenant-wide consent for the permissions it asks for, if you approve of them.", requestHelps: true,
  },
  {
    code: "AADSTS90094", title: "Need admin approval",
    meaning: "The app asks for permissions that only an admin can grant in your organization (or the app requires assignment and has no admin consent). You cannot consent yourself.",
    nextStep: "Request approval in the portal; an admin reviews it and grants consent for everyone.",
    adminStep: "Review the permissions and grant tenant-wide consent with the grant wizard.", requestHelps: true,
  },
  {
    code: "AADSTS90095", title: "Approval required (request sent to Entra's reviewers)",
    meaning: "Your organization's admin consent workflow is on: the sign-in screen asked you for a justification and sent a request to Entra's reviewers.",
    nextStep: "If you sent the request on the sign-in screen, wait for the reviewers; you can also request approval here to follow its status.",
    adminStep: "Find the request among Entra's pending requests and, if approved, grant consent.", requestHelps: true,
  },
  {
    code: "AADSTS900941", title: "Risky app: admin consent required",
    meaning: "Microsoft flagged the app as possibly risky, so user consent is blocked for it.",
    nextStep: "Ask an admin to review the app. It will not be approved automatically.",
    adminStep: "Only an admin can decide, after reviewing the app and its publisher. Never grant it just to unblock a user.", requestHelps: true,
  },
  {
    code: "AADSTS900981", title: "Risky app: request sent to reviewers",
    meaning: "Microsoft flagged the app as possibly risky; instead of letting you consent, a request went to your organization's reviewers.",
    nextStep: "Wait for the reviewers' decision. It will not be approved automatically.",
    adminStep: "Only an admin can decide, after reviewing the app and its publisher. Never grant it just to unblock a user.", requestHelps: true,
  },
  {
    code: "AADSTS65004", title: "Consent was declined",
    meaning: "Someone chose Cancel on the consent screen, so nothing was granted.",
    nextStep: "Sign in again and accept, or request approval if you cannot consent.", adminStep: null, requestHelps: true,
  },
  {
    code: "AADSTS50105", title: "Not assigned to the app",
    meaning: "Only people assigned to this app may sign in to it, and you are not assigned.",
    nextStep: "Ask your IT help desk to assign you (or a group you are in) to the app.",
    adminStep: "Assign the person or their group in the access wizard.", requestHelps: false,
  },
  {
    code: "AADSTS7000112", title: "The app is disabled",
    meaning: "Sign-in to this app is turned off in your organization.",
    nextStep: "Ask your IT help desk why the app was disabled; an approval request cannot change this.", adminStep: null, requestHelps: false,
  },
  {
    code: "AADSTS700016", title: "App not found",
    meaning: "The app is not registered in your organization or in Microsoft Entra, or the link has a wrong app ID.",
    nextStep: "Check the link or app ID with the app's vendor.", adminStep: null, requestHelps: false,
  },
  {
    code: "AADSTS650052", title: "A service the app needs is not enabled",
    meaning: "The app needs access to a Microsoft service your organization has not subscribed to or enabled.",
    nextStep: "Tell your IT help desk which app and which service; an approval request cannot enable it.", adminStep: null, requestHelps: false,
  },
  {
    code: "AADSTS65005", title: "The app asks for something that does not exist",
    meaning: "The app asked for a permission the API does not publish, or is misconfigured.",
    nextStep: "Report it to the app's vendor.", adminStep: null, requestHelps: false,
  },
  {
    code: "AADSTS50057", title: "Your account is disabled",
    meaning: "Your user account is disabled in your organization.",
    nextStep: "Contact your IT help desk.", adminStep: null, requestHelps: false,
  },
];

const BY_CODE = new Map(TABLE.map((entry) => [entry.code, entry]));

/** The explanation for an AADSTS code ("AADSTS90094" or "90094"), or a generic one for codes not in the table. */
export function explainError(code: string): ErrorExplanation {
  const digits = /(\d{5,7})/.exec(code)?.[1] ?? "";
  const normalized = `AADSTS${digits}`;
  return (
    BY_CODE.get(normalized) ?? {
      code: digits ? normalized : code.slice(0, 20), title: "Another sign-in error",
      meaning: "This is not one of the consent errors the portal knows. It may be about your password, device, location or conditional access rather than app approval.",
      nextStep: "Send the error code, correlation ID and timestamp to your IT help desk.", adminStep: "Look the correlation ID up in the sign-in logs.", requestHelps: false,
    }
  );
}

export const KNOWN_ERROR_CODES = TABLE.map((entry) => entry.code);
