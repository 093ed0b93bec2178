import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guards";
import { notificationsOf, type NotificationStatus } from "@/lib/notifications";
import { PermissionList } from "@/components/permissions/permission-list";
import { listedPermissions } from "@/lib/permission-items";
import { findMyRequest } from "@/lib/self-service/requests";
import { requestIdSchema } from "@/lib/validations/self-service";
import { formatTime, requestStatusLabel } from "../../_components/request-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "My approval request" };

type Props = { params: Promise<{ requestId: string }> };

/** One of the signed-in person's requests. Someone else's request is "not found": never shown, never confirmed to exist. */
export default async function MyRequestPage({ params }: Props) {
  const { requestId } = await params;
  const user = await requireUser(`/my-apps/requests/${encodeURIComponent(requestId)}`);
  const id = requestIdSchema.safeParse({ requestId });
  const request = id.success ? await findMyRequest(user, id.data.requestId) : null;
  if (!request) notFound();
  const notifications = (await notificationsOf([request.id])).get(request.id) ?? [];

  return (
    <div className="space-y-6">
      <PageHeader back={{ href: "/my-apps", label: "My apps" }} title={`Approval request for ${request.appName}`}>
        <p className="mt-1 text-lg" data-testid="request-status">
          {requestStatusLabel(request.status)}
        </p>
      </PageHeader>
      <section aria-labelledby="history">
        <h2 id="history" className="font-semibold">
          History
        </h2>
        <ol className="mt-2 space-y-2 text-sm" data-testid="request-history">
          <li>
            <span className="font-medium">{formatTime(request.createdAt)}</span> — you requested approval.
          </li>
          <NotificationLine notifications={notifications.filter((n) => n.kind === "request.created")} sent={(how) => `the admins were told ${how}`} pending="The admins are being told about your request." />
          {request.decidedAt && (
            <li data-testid="request-decision">
              <span className="font-medium">{formatTime(request.decidedAt)}</span> — {request.status} by {request.decidedByName ?? "an admin"}
              {request.decidedByUpn && <span className="text-slate-600"> ({request.decidedByUpn})</span>}
              {request.reason && <span className="block">Reason: {request.reason}</span>}
            </li>
          )}
          <NotificationLine notifications={notifications.filter((n) => n.kind === "request.decided" && n.channel === "email")} sent={() => "a mail about the decision was sent to you"} pending="A mail about the decision is on its way to you." />
        </ol>
        {request.status === "approved" && (
          <p className="mt-3">
            <Link href={`/my-apps/apps/${request.appId}`} className="text-brand underline">
              Check {request.appName} now
            </Link>{" "}
            and sign in to it.
          </p>
        )}
      </section>
      <section aria-labelledby="asked">
        <h2 id="asked" className="font-semibold">
          What you asked for
        </h2>
        <div className="mt-2">
          {request.permissions.length > 0 ? (
            <PermissionList items={listedPermissions(request.permissions)} testId="requested-permissions" />
          ) : (
            <p className="text-sm text-slate-600" data-testid="requested-permissions">
              No permissions named: you described in words what you need.
            </p>
          )}
        </div>
        <h2 className="mt-4 font-semibold">Your justification</h2>
        <p className="mt-1 whitespace-pre-wrap rounded bg-slate-50 p-3 text-sm" data-testid="request-justification">
          {request.justification}
        </p>
      </section>
    </div>
  );
}

const CHANNEL: Record<string, string> = { email: "by mail", webhook: "in their team channel" };

/**
 * Whether the people who had to hear of this step did: when and how, never to whom (the reviewers'
 * names and addresses are not the requester's to see). Nothing when no channel is configured.
 */
function NotificationLine({ notifications, sent, pending }: { notifications: NotificationStatus[]; sent: (how: string) => string; pending: string }) {
  const delivered = notifications.filter((n) => n.status === "sent" && n.sentAt);
  if (delivered.length > 0) {
    const first = delivered.reduce((a, b) => (a.sentAt! <= b.sentAt! ? a : b));
    const how = [...new Set(delivered.map((n) => CHANNEL[n.channel] ?? n.channel))].join(" and ");
    return (
      <li data-testid="request-notified">
        <span className="font-medium">{formatTime(first.sentAt!)}</span> — {sent(how)}.
      </li>
    );
  }
  if (notifications.some((n) => n.status === "pending")) return <li className="text-slate-600">{pending}</li>;
  return null;
}
