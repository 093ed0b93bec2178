import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Reading the tenant's consent settings…" cards={2} />;
}
