/** The messages between run.ts and its child processes (the simulator and the two enumerations). */

export type TenantSize = { servicePrincipals: number; grants: number; appRoleAssignments: number };

export type SimCounters = {
  /** HTTP requests to /v1.0 and /beta (a $batch envelope is one) */
  httpRequests: number;
  /** Graph calls as the simulator counts them: each $batch part on its own */
  graphCalls: number;
  /** answers 429 */
  throttled: number;
  /** time spent answering, latency left out, summed over requests */
  busyMs: number;
};

export type Minimum = {
  servicePrincipalPages: number;
  grantPages: number;
  assignmentCalls: number;
  resourcesWithAppRoles: number;
  nameResolution: number;
  /** pages of the sign-in activity report (999 a page, as the scan asks) */
  signInPages: number;
};

export type SimReady = {
  kind: "ready";
  summary: { servicePrincipals: number; generatedServicePrincipals: number; grants: number; appRoleAssignments: number; users: number; generateMs: number };
  minimum: Minimum;
};

export type Expected = { kind: "expected"; grants: string[]; assignments: string[] };

/** Where the portal's scan spent its time (wall-clock union of what was in flight, so overlaps count once). */
export type ScanProfile = {
  phases: { phase: string; ms: number }[];
  /** while collecting: some Graph request in flight / some SQL statement in flight / both */
  graphBusyMs: number;
  dbBusyMs: number;
  /** SQL time by kind, summed */
  sql: { kind: string; statements: number; ms: number }[];
  /** the statements that took longest in all (their text's start) */
  slowest: { kind: string; statements: number; ms: number }[];
};

export type WorkerResult = {
  kind: "result";
  ms: number;
  maxRssMb: number;
  /** HTTP requests the client made (each retry counted, a $batch envelope once) */
  clientCalls: number;
  outcome: string;
  /** baseline: what it found; scan: read from the database by run.ts */
  grants?: string[];
  assignments?: string[];
  scanId?: string;
  profile?: ScanProfile;
};
