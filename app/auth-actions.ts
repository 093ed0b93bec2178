"use server";

import { signIn, signOut } from "@/auth";
import { crossOriginRefusal } from "@/lib/http/same-origin";
import { callbackPath } from "@/lib/validations/auth";

// Signing in and out need no prior authorization; the input is only a local return path. Both still
// refuse posts from other sites (S3): another site must not sign a visitor out, or into its choice of page.

export async function signInAction(formData: FormData) {
  if (await crossOriginRefusal()) return;
  const redirectTo = callbackPath.parse(formData.get("callbackUrl") ?? "/");
  await signIn("microsoft-entra-id", { redirectTo });
}

export async function signOutAction() {
  if (await crossOriginRefusal()) return;
  await signOut({ redirectTo: "/?signedOut=1" });
}
