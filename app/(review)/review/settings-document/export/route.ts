import { z } from "zod";
import { requireRole } from "@/lib/auth/guards";
import { explainFailure } from "@/lib/consent/engine/failure";
import { env } from "@/lib/env";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { readTenantSettings } from "@/lib/settings-document/read";
import { DOCUMENT_FORMATS, serializeDocument } from "@/lib/settings-document/serialize";

const optionsSchema = z.object({ format: z.enum(DOCUMENT_FORMATS).default("yaml") });

/** The tenant's consent settings as a document to download (JSON or YAML), read as the signed-in reviewer or admin. */
export async function GET(request: Request) {
  const user = await requireRole(["reviewer", "admin"], "/review/settings-document");
  const options = optionsSchema.safeParse({ format: new URL(request.url).searchParams.get("format") || undefined });
  if (!options.success) return Response.json({ error: "Choose json or yaml." }, { status: 400 });
  const { format } = options.data;
  let text: string;
  try {
    const document = await readAsUser(user, (graph) => readTenantSettings(graph, { tenantId: env().tenant.tenantId, exportedBy: user.upn }));
    text = serializeDocument(document, format);
  } catch (error) {
    return Response.json({ error: explainFailure(error, "read the tenant's consent settings") }, { status: 502 });
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(text, {
    headers: {
      "Content-Type": format === "json" ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="consent-settings-${stamp}.${format === "json" ? "json" : "yaml"}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
