/**
 * The landscape grid on WebGPU for the page's main thread (small: one dispatch per redraw). The UI gets
 * a function that evaluates a grid, never a GPU handle; null without WebGPU, and the landscape then
 * evaluates on the CPU and says so.
 */
import type { Grid, GridSpec } from '../core/toy';
import { acquireDevice } from '../gpu/device';
import { evaluateGridGpu } from '../gpu/landscape';
import { landscapeShader } from '../gpu/landscape-shader';

export type GridEvaluator = (spec: GridSpec) => Promise<Grid>;

let evaluator: Promise<GridEvaluator | null> | null = null;
/** why there is no evaluator (the device request's error), once it failed */
let unavailable = '';

export function landscapeGridEvaluator(): Promise<GridEvaluator | null> {
  evaluator ??= acquireDevice(typeof navigator !== 'undefined' ? navigator.gpu : undefined, 'landscape')
    .then(({ device }) => (spec: GridSpec) => evaluateGridGpu(device, spec, landscapeShader), (err: Error) => {
      unavailable = err.message;
      return null;
    });
  return evaluator;
}

/** Why the landscape's grid runs on the CPU: the reason WebGPU could not be used ('' while it is not known). */
export async function landscapeGridReason(): Promise<string> {
  return (await landscapeGridEvaluator()) ? '' : unavailable;
}
