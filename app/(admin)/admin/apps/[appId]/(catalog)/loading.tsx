import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Reading what the app asks for and what the tenant holds…" cards={2} />;
}
