import type { Capability } from "@/lib/roles";

/** Says why a step is unavailable with the signed-in admin's Entra role (the server refuses it too). */
export function RoleNote({ capability }: { capability: Capability }) {
  if (capability.allowed) return null;
  return (
    <p id="role-reason" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="role-note">
      <span className="font-medium">Not with your role.</span> {capability.reason}
    </p>
  );
}
