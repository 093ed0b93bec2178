"use server";

import { signIn, signOut } from "@/auth";
import { callbackPath } from "@/lib/validations/auth";

// Signing in and out need no prior authorization; the input is only a local return path.

export async function signInAction(formData: FormData) {
  const redirectTo = callbackPath.parse(formData.get("callbackUrl") ?? "/");
  await signIn("microsoft-entra-id", { redirectTo });
}

export async function signOutAction() {
  await signOut({ redirectTo: "/?signedOut=1" });
}
