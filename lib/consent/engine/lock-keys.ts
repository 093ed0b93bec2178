/**
 * The change engine's lock keys, one per kind of tenant object: every change to one object shares its
 * key, whichever wizard makes it, so two changes to the same object never overlap, in any instance.
 */
export const lockKeys = {
  servicePrincipal: (appId: string) => `servicePrincipal:${appId.toLowerCase()}`,
  delegatedGrant: (clientId: string, resourceId: string) => `delegatedGrant:${clientId.toLowerCase()}:${resourceId.toLowerCase()}`,
  appPermissions: (clientId: string) => `appPermissions:${clientId.toLowerCase()}`,
  assignment: (servicePrincipalId: string, principalId: string) => `assignment:${servicePrincipalId.toLowerCase()}:${principalId.toLowerCase()}`,
  grant: (grantId: string) => `grant:${grantId.toLowerCase()}`,
  /** A tenant policy object, replaced whole by its PUT/PATCH. */
  policy: (name: string) => `policy:${name}`,
};
