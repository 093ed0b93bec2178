/**
 * Lock keys of the tenant's policy objects (the change engine's target locks): each policy is replaced
 * whole by its PUT/PATCH, so two changes to the same one never overlap, in any instance.
 */
export const policyLock = (policy: string) => `policy:${policy}`;
