import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Reading what the tenant has granted the app…" cards={2} />;
}
