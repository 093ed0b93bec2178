import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Reading the requests waiting for a decision…" cards={0} />;
}
