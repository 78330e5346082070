/**
 * What the UI may know of the engines: the shapes of their results and the landscape's grid evaluator.
 * The UI reaches engines only through the state layer (ARCHITECTURE.md, enforced by lint), so it imports
 * these from here.
 */
export type { SweepResult, SweepProgress } from '../engine/sweep';
export type { SliceResult } from '../engine/slice-run';
export { type GridEvaluator, landscapeGridEvaluator, landscapeGridReason } from '../engine/landscape-device';
