import { z } from "zod";
import { RISK_LEVELS } from "@/lib/recertification/schedule";
import { guid, justification, visibleText } from "./common";

/** The inputs of recertification's server actions (S8): every field checked before anything is read or written. */

const note = visibleText(z.string().trim().max(500, "Keep the note under 500 characters."));

export const attestSchema = z
  .object({
    appId: guid,
    decision: z.enum(["attested", "revoke-requested"], { error: "Choose whether the app is still needed." }),
    note: note.optional().default(""),
  })
  .refine((value) => value.decision !== "revoke-requested" || value.note.length >= 10, {
    error: "Say in a few words why it is no longer needed (at least 10 characters): the admins revoke it on this.",
    path: ["note"],
  });

const days = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label} must be a number of days.` })
    .int(`${label} must be a whole number of days.`)
    .min(min, `${label}: at least ${min} days.`)
    .max(max, `${label}: at most ${max} days.`);

/** A period field left empty means "the risk level's period". */
const optionalPeriod = z.preprocess((value) => (value === "" || value === undefined ? null : value), days("The period", 7, 1095).nullable());

export const appSettingsSchema = z.object({
  appId: guid,
  /** "none": reviewers re-attest; otherwise the chosen person's object ID, looked up in the directory again. */
  ownerOid: z.union([z.literal("none"), guid]),
  periodDays: optionalPeriod,
  autoRevoke: z.enum(["on"]).optional(),
  warnDays: days("The warning", 1, 60),
  graceDays: days("The grace period", 0, 180),
  justification,
});

export const sendReminderSchema = z.object({ appId: guid });

export const policySchema = z.object({
  Critical: optionalPeriod,
  High: optionalPeriod,
  Medium: optionalPeriod,
  Low: optionalPeriod,
  Unrated: optionalPeriod,
  justification,
}) satisfies z.ZodType<Record<(typeof RISK_LEVELS)[number], number | null> & { justification: string }, unknown>;

export const ownerSearchSchema = z.object({ q: visibleText(z.string().trim().min(1).max(64)) });
