import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Reading the app's state in the tenant…" cards={2} />;
}
