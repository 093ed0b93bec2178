import { PageSkeleton } from "@/components/ui/page-skeleton";

/** Any signed-in person may open a status page, so there is no role check to answer first; proxy.ts sends signed-out visitors to sign-in. */
export default function Loading() {
  return <PageSkeleton label="Checking whether the app is approved…" cards={1} />;
}
