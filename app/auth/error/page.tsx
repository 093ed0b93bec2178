import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Sign-in refused" };

const MESSAGES: Record<string, { title: string; detail: string }> = {
  ForeignTenant: {
    title: "Your account belongs to another organization",
    detail:
      "This portal serves one Microsoft Entra tenant only, and the account you chose is from a different tenant. Sign in with your work account in this organization, or ask its IT team for access.",
  },
  WrongIssuer: {
    title: "Sign-in came from an unexpected identity provider",
    detail: "The sign-in response was not issued by this organization's tenant, so it was refused. Try again; if it repeats, tell your IT team.",
  },
  WrongAudience: {
    title: "Sign-in was meant for another application",
    detail: "The sign-in response was issued for a different application, so it was refused. Try again; if it repeats, tell your IT team.",
  },
  InvalidToken: {
    title: "Sign-in response could not be verified",
    detail: "The sign-in response was not signed by this organization's tenant, or had expired, so it was refused. Try again; if it repeats, tell your IT team.",
  },
  MissingClaims: {
    title: "Your account could not be identified",
    detail: "The sign-in response lacked the tenant or object ID this portal needs. Tell your IT team.",
  },
  AccessDenied: {
    title: "Sign-in was cancelled or refused",
    detail: "You cancelled the sign-in, or your organization refused it. You can try again.",
  },
  Configuration: {
    title: "The portal could not complete sign-in",
    detail: "The portal's sign-in configuration or the identity provider did not answer as expected. Try again in a moment; if it repeats, tell your IT team.",
  },
};

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const message = MESSAGES[error ?? ""] ?? {
    title: "Sign-in did not complete",
    detail: "Something went wrong while signing you in. You can try again.",
  };
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-red-200 bg-white p-6" role="alert">
      <h1 className="text-xl font-semibold text-red-800">{message.title}</h1>
      <p className="mt-2 text-slate-700">{message.detail}</p>
      <Link href="/signin" className="mt-4 inline-block rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark">
        Back to sign-in
      </Link>
    </div>
  );
}
