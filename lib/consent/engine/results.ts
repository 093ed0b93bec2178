/**
 * The shapes a change's Result step shows: each step's outcome and every Graph call made, with its
 * request-id. Pages and components take them from here: they never import lib/graph (STYLE.md).
 */
export type { GraphCallRecord } from "@/lib/graph/middleware";
export type { StepResult } from "./run-step";
