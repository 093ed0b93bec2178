import { describe, expect, it } from "vitest";
import {
  GRAPH_APP_PERMISSION_APPROVER_ROLES as ROLES,
  graphAppPermissionApprovers,
  parseReviewerKey,
  parseReviewerQuery,
  planWorkflow,
  reviewerQuery,
  type Reviewer,
  type WorkflowPolicy,
} from "./plan";

const ALEX = "0b6f7a1c-2d3e-4f50-8a61-7b8c9d0e1f21";
const CASEY = "2d8b9c3e-4f50-4172-8c83-9d0e1f2a3b43";
const SALES = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
const IT = "3c966c0e-e8b7-4a87-bf80-6ea252699547";
const CAA_ROLE = "158c047a-c907-4556-b7ef-446551a6b5f7";

const off: WorkflowPolicy = { isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30, reviewers: [] };
const names = new Map([[`user:${CASEY}`, "Casey Jensen"], [`group:${IT}`, "IT Admins"]]);

describe("reviewer queries", () => {
  it.each<Reviewer>([
    { kind: "user", id: ALEX },
    { kind: "group", id: IT },
    { kind: "role", id: ROLES.globalAdministrator },
  ])("round-trips %o through Graph's query form", (reviewer) => {
    const scope = reviewerQuery(reviewer);
    expect(scope.queryType).toBe("MicrosoftGraph");
    expect(parseReviewerQuery(scope)).toEqual(reviewer);
  });

  it("writes the queries Graph documents", () => {
    expect(reviewerQuery({ kind: "group", id: IT }).query).toBe(`/groups/${IT}/transitiveMembers/microsoft.graph.user`);
    expect(reviewerQuery({ kind: "role", id: CAA_ROLE }).query).toBe(`/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${CAA_ROLE}'`);
    expect(parseReviewerQuery({ query: `/beta/users/${ALEX}`, queryType: "MicrosoftGraph" })).toEqual({ kind: "user", id: ALEX });
    expect(parseReviewerQuery({ query: "/users?$top=1", queryType: "MicrosoftGraph" })).toBeNull();
    expect(parseReviewerKey(`group:${IT}`)).toEqual({ kind: "group", id: IT });
    expect(parseReviewerKey("group:../../x")).toBeNull();
  });
});

describe("planWorkflow", () => {
  it("builds the PUT body and the before/after in words", () => {
    const plan = planWorkflow(off, { isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 14, reviewers: [{ kind: "user", id: CASEY }, { kind: "user", id: CASEY }] }, names);
    expect(plan.refusal).toBeNull();
    expect(plan.body.reviewers).toEqual([{ query: `/users/${CASEY}`, queryType: "MicrosoftGraph", queryRoot: null }]);
    expect(plan.body.requestDurationInDays).toBe(14);
    expect(plan.changes.map((c) => c.label)).toEqual(["Users can request admin consent", "Reviewers", "Email notifications to reviewers", "Reminders", "Requests expire after"]);
    expect(plan.beforeWords[0]).toContain("Users cannot request admin consent");
    expect(plan.afterWords.join(" ")).toContain("Reviewers: user Casey Jensen.");
    expect(plan.afterWords.join(" ")).toContain("expires after 14 days");
  });

  it("refuses the workflow on without reviewers, and expiry outside 1–30 days", () => {
    expect(planWorkflow(off, { ...off, isEnabled: true, reviewers: [] }, names).refusal).toMatch(/at least one reviewer/);
    expect(planWorkflow(off, { ...off, requestDurationInDays: 31, reviewers: [] }, names).refusal).toMatch(/1 to 30/);
    expect(planWorkflow(off, { ...off, requestDurationInDays: 0, reviewers: [] }, names).refusal).toMatch(/1 to 30/);
  });

  it("keeps reviewer queries it cannot read and reports no change when nothing changes", () => {
    const current: WorkflowPolicy = { ...off, isEnabled: true, reviewers: [{ query: "/users?$filter=x", queryType: "MicrosoftGraph", queryRoot: null }, reviewerQuery({ kind: "group", id: IT })] };
    const plan = planWorkflow(current, { ...off, isEnabled: true, reviewers: [{ kind: "group", id: IT }] }, names);
    expect(plan.keptQueries).toEqual(["/users?$filter=x"]);
    expect(plan.body.reviewers.map((r) => r.query)).toContain("/users?$filter=x");
    expect(plan.changed).toBe(false);
  });
});

describe("graphAppPermissionApprovers", () => {
  const facts = {
    approverRoleHolders: new Map([[ROLES.globalAdministrator, [ALEX]], [ROLES.privilegedRoleAdministrator, []]]),
    groupMembers: new Map([[IT, [ALEX, CASEY]], [SALES, ["riley"]]]),
  };
  it("finds no approver among a Cloud Application Administrator, a sales group and the CAA role", () => {
    expect(graphAppPermissionApprovers([{ kind: "user", id: CASEY }, { kind: "group", id: SALES }, { kind: "role", id: CAA_ROLE }], facts)).toEqual([]);
  });
  it("finds a Global Administrator chosen directly, through a group or through the role", () => {
    expect(graphAppPermissionApprovers([{ kind: "user", id: ALEX }], facts)).toEqual([ALEX]);
    expect(graphAppPermissionApprovers([{ kind: "group", id: IT }], facts)).toEqual([ALEX]);
    expect(graphAppPermissionApprovers([{ kind: "role", id: ROLES.globalAdministrator }], facts)).toEqual([ALEX]);
    expect(graphAppPermissionApprovers([{ kind: "role", id: ROLES.privilegedRoleAdministrator }], facts)).toEqual([]);
  });
});
