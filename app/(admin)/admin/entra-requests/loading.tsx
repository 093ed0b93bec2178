import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Reading Entra's pending requests from Microsoft Graph…" cards={0} />;
}
