import { z } from "zod";
import { guid, INVISIBLE_FORMATTING, INVISIBLE_FORMATTING_MESSAGE } from "@/lib/validations/common";

/**
 * The tenant's consent settings as one versioned document (apiVersion consent-portal/v1, kind
 * ConsentSettings): the user consent policy, the admin consent workflow, the low-impact permission
 * classifications, group-owner consent and the approved per-app baselines. A security team keeps it in
 * Git, reviews changes to it like code, and applies it (to this tenant or a second one) through the
 * wizards. Every section is optional: a section the document leaves out is left as it is in the tenant.
 * Pure: no Graph, no database.
 */

export const API_VERSION = "consent-portal/v1";
export const KIND = "ConsentSettings";

/** The document's words for the user consent wizard's four options; "custom" is only ever exported. */
export const USER_CONSENT_POLICIES = ["none", "low-impact", "microsoft-managed", "all-apps", "custom"] as const;
export type UserConsentPolicy = (typeof USER_CONSENT_POLICIES)[number];

export const GROUP_OWNER_CONSENT_MODES = ["off", "all", "group"] as const;
export const REVIEWER_TYPES = ["user", "group", "role"] as const;
export const CONSENT_TYPES = ["AllPrincipals", "Principal", "Application"] as const;

const text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .min(1, `${what} must not be empty.`)
    .max(max, `${what} must be at most ${max} characters.`)
    .refine((value) => !INVISIBLE_FORMATTING.test(value), INVISIBLE_FORMATTING_MESSAGE);

/**
 * An object's own message for "not an object", and the keys it does not know by name (a misspelt key
 * would otherwise be a setting silently ignored).
 */
const objectError = (message: string) => ({
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === "unrecognized_keys" && issue.keys ? `Unknown key${issue.keys.length === 1 ? "" : "s"} ${issue.keys.map((k) => `“${k}”`).join(", ")}: ${message}` : message,
});

const bool = (what: string) => z.boolean({ error: `${what} must be true or false.` });

const idOf = (what: string) => z.string({ error: `${what} must be a GUID.` }).pipe(guid);

const userConsentSchema = z.strictObject(
  {
    policy: z.enum(USER_CONSENT_POLICIES, { error: `Must be one of: ${USER_CONSENT_POLICIES.join(", ")}.` }),
    /** For reading only: the assigned ManagePermissionGrantsForSelf entries when the policy is custom. */
    entries: z.array(text("An entry", 200)).max(20).optional(),
  },
  objectError("Must be an object with policy (and, for a custom setting, entries)."),
);

const reviewerSchema = z.strictObject(
  {
    type: z.enum(REVIEWER_TYPES, { error: "A reviewer's type must be user, group or role." }),
    id: idOf("A reviewer's id"),
    /** For reading only: the display name when exported. */
    name: text("A reviewer's name", 256).optional(),
  },
  objectError("A reviewer must be an object with type, id and (optionally) name."),
);

const workflowSchema = z
  .strictObject(
    {
      enabled: bool("enabled"),
      reviewers: z.array(reviewerSchema, { error: "reviewers must be a list." }).max(25, "Name at most 25 reviewers."),
      notifyReviewers: bool("notifyReviewers"),
      remindersEnabled: bool("remindersEnabled"),
      requestDurationInDays: z
        .number({ error: "requestDurationInDays must be a number of days." })
        .int("requestDurationInDays must be a whole number of days.")
        .min(1, "Requests must expire after at least 1 day.")
        .max(30, "Requests can wait at most 30 days."),
    },
    objectError("Must be an object with enabled, reviewers, notifyReviewers, remindersEnabled and requestDurationInDays."),
  )
  .refine((value) => !value.enabled || value.reviewers.length > 0, {
    error: "Name at least one reviewer: Entra does not accept the workflow turned on without reviewers.",
    path: ["reviewers"],
  });

const classificationsSchema = z.strictObject(
  {
    lowImpact: z
      .array(
        z
          .string({ error: "A permission must be text." })
          .trim()
          .regex(/^[A-Za-z][A-Za-z0-9._-]{0,99}$/, "A permission must be a Microsoft Graph delegated permission name like User.Read."),
        { error: "lowImpact must be a list of permission names." },
      )
      .max(200, "List at most 200 permissions."),
  },
  objectError("Must be an object with lowImpact, a list of Microsoft Graph delegated permissions."),
);

const groupOwnerConsentSchema = z
  .strictObject(
    {
      mode: z.enum(GROUP_OWNER_CONSENT_MODES, { error: "mode must be off, all or group." }),
      groupId: idOf("groupId").nullable().optional(),
      /** For reading only. */
      groupName: text("groupName", 256).optional(),
    },
    objectError("Must be an object with mode (off, all or group) and, for group, groupId."),
  )
  .refine((value) => value.mode !== "group" || !!value.groupId, { error: "Name the group (groupId) whose members may consent.", path: ["groupId"] });

const permissionSchema = z.strictObject(
  {
    resourceAppId: idOf("resourceAppId"),
    resourceName: text("resourceName", 256),
    consentType: z.enum(CONSENT_TYPES, { error: "consentType must be AllPrincipals, Principal or Application." }),
    value: z
      .string({ error: "value must be text." })
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/, "value must be a permission name like Mail.Read."),
  },
  objectError("A permission must be an object with resourceAppId, resourceName, consentType and value."),
);

const baselineSchema = z.strictObject(
  {
    appId: idOf("appId"),
    displayName: text("displayName", 256),
    verifiedPublisher: text("verifiedPublisher", 256).nullable(),
    permissions: z.array(permissionSchema, { error: "permissions must be a list." }).max(500, "List at most 500 permissions per app."),
    /** For reading only: who approved the baseline in the tenant it was exported from, and when. */
    approvedBy: text("approvedBy", 256).optional(),
    approvedAt: z.iso.datetime({ error: "approvedAt must be a date and time like 2026-01-31T12:00:00Z." }).optional(),
    version: z.number().int().min(1).optional(),
  },
  objectError("A baseline must be an object with appId, displayName, verifiedPublisher and permissions."),
);

export const settingsSpecSchema = z.strictObject(
  {
    userConsent: userConsentSchema.optional(),
    adminConsentWorkflow: workflowSchema.optional(),
    classifications: classificationsSchema.optional(),
    groupOwnerConsent: groupOwnerConsentSchema.optional(),
    baselines: z
      .array(baselineSchema, { error: "baselines must be a list." })
      .max(2000, "List at most 2000 baselines.")
      .refine((list) => new Set(list.map((b) => b.appId)).size === list.length, "Each app may have only one baseline.")
      .optional(),
  },
  objectError("spec must be an object with the sections userConsent, adminConsentWorkflow, classifications, groupOwnerConsent and baselines (each optional)."),
);

export const settingsDocumentSchema = z.strictObject(
  {
    apiVersion: z.literal(API_VERSION, { error: `apiVersion must be ${API_VERSION}.` }),
    kind: z.literal(KIND, { error: `kind must be ${KIND}.` }),
    metadata: z
      .strictObject(
        {
          tenantId: idOf("tenantId").optional(),
          exportedAt: z.iso.datetime({ error: "exportedAt must be a date and time like 2026-01-31T12:00:00Z." }).optional(),
          exportedBy: text("exportedBy", 256).optional(),
          description: text("description", 2000).optional(),
        },
        objectError("metadata must be an object (tenantId, exportedAt, exportedBy, description)."),
      )
      .optional(),
    spec: settingsSpecSchema,
  },
  objectError(`A settings document must be an object with apiVersion, kind and spec.`),
);

export type SettingsDocument = z.output<typeof settingsDocumentSchema>;
export type SettingsSpec = SettingsDocument["spec"];
export type UserConsentSection = NonNullable<SettingsSpec["userConsent"]>;
export type WorkflowSection = NonNullable<SettingsSpec["adminConsentWorkflow"]>;
export type WorkflowReviewer = WorkflowSection["reviewers"][number];
export type ClassificationsSection = NonNullable<SettingsSpec["classifications"]>;
export type GroupOwnerConsentSection = NonNullable<SettingsSpec["groupOwnerConsent"]>;
export type BaselineEntry = NonNullable<SettingsSpec["baselines"]>[number];
export type BaselineEntryPermission = BaselineEntry["permissions"][number];

/** The sections in the order documents, diffs and results list them. */
export const SECTIONS = ["userConsent", "adminConsentWorkflow", "classifications", "groupOwnerConsent", "baselines"] as const;
export type SectionKey = (typeof SECTIONS)[number];

export const SECTION_TITLES: Record<SectionKey, string> = {
  userConsent: "User consent",
  adminConsentWorkflow: "Admin consent workflow",
  classifications: "Classifications",
  groupOwnerConsent: "Group-owner consent",
  baselines: "Baselines",
};
