"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { blockEntraRequestApp, denyEntraRequest } from "@/lib/consent/entra-request-decisions";
import { blockAppSchema, denyEntraRequestSchema } from "@/lib/validations/entra-requests";

/** Denies an Entra consent request in the portal (Graph cannot): recorded, shown with the request, mailed to the requesters. */
export const denyEntraRequestAction = authorizedAction(["admin"], denyEntraRequestSchema, denyEntraRequest);

/** Entra's "Block": the app's service principal exists with sign-in disabled. */
export const blockAppAction = authorizedAction(["admin"], blockAppSchema, blockEntraRequestApp);
