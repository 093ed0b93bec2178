import { z } from "zod";
import { guid, justification } from "@/lib/validations/common";
import { GROUP_CONSENT_MODES } from "./plan";

const mode = z.enum(GROUP_CONSENT_MODES, { error: "Choose who may consent as a group owner." });
const groupId = z.union([z.literal("").transform(() => null), guid]).optional().transform((value) => value ?? null);
const GROUP_NEEDED = { error: "Choose the group whose members may consent.", path: ["groupId"] };

export const groupConsentChoiceSchema = z.object({ mode, groupId }).refine((value) => value.mode !== "group" || value.groupId !== null, GROUP_NEEDED);
export const groupConsentApplySchema = z.object({ mode, groupId, justification }).refine((value) => value.mode !== "group" || value.groupId !== null, GROUP_NEEDED);
export type GroupConsentInput = z.output<typeof groupConsentApplySchema>;
