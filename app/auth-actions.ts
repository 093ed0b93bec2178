"use server";

import { signIn } from "@/auth";
import { crossOriginRefusal } from "@/lib/http/same-origin";
import { callbackPath } from "@/lib/validations/auth";

// Signing in needs no prior authorization; the input is only a local return path. It still refuses posts
// from other sites (S3): another site must not sign a visitor into its choice of page. Signing out is a
// plain form post to app/auth/sign-out/route.ts.

export async function signInAction(formData: FormData) {
  if (await crossOriginRefusal()) return;
  const redirectTo = callbackPath.parse(formData.get("callbackUrl") ?? "/");
  await signIn("microsoft-entra-id", { redirectTo });
}
