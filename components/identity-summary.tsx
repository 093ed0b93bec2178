import type { SignedInUser } from "@/lib/auth/guards";

/** Who is signed in, as Entra sees them: the facts every role's home starts with. */
export function IdentitySummary({ user }: { user: SignedInUser }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
      <dt className="text-slate-500">Name</dt>
      <dd>{user.name}</dd>
      <dt className="text-slate-500">Account</dt>
      <dd>{user.upn}</dd>
      <dt className="text-slate-500">Entra roles</dt>
      <dd data-testid="entra-roles">{user.entraRoles.length > 0 ? user.entraRoles.join(", ") : "None"}</dd>
      <dt className="text-slate-500">Object ID</dt>
      <dd className="font-mono text-xs">{user.oid}</dd>
      <dt className="text-slate-500">Tenant ID</dt>
      <dd className="font-mono text-xs">{user.tid}</dd>
    </dl>
  );
}
