import { z } from "zod";
import { guid, visibleText } from "./common";

export const denyEntraRequestSchema = z.object({
  requestId: guid,
  appId: guid,
  reason: visibleText(z.string({ error: "Give the requester a reason." }).trim().min(5, "Give the requester a reason (5 characters or more).").max(500, "Keep the reason under 500 characters.")),
});

export const blockAppSchema = z.object({ appId: guid, requestId: guid });
