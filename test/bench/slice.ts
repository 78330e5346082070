/**
 * The landscape-slice figure of `npm run bench`: a 512×512 slice of the M-size problem (J = 64, n = 512,
 * mⱼ = 128, r = 16; DGD+LOCAL, g of 1.6) through its initial iterate, on the float64 CPU path — the plane
 * (two random directions normalised per factor), the 15 quartic coefficients (one pass over Y), the grid;
 * and a re-draw when only the grid range changes (the grid alone). Median of `repeats` runs.
 */
import { type NodeInstance, makeAlgorithm } from '../../src/core/build';
import { computeSlice, quarticGrid, slicePlane } from '../../src/core/slice';

export interface SliceFigures {
  plane: number;
  coefficients: number;
  grid: number;
  total: number;
  regrid: number;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function sliceBench(inst: NodeInstance, res = 512, repeats = 5): SliceFigures {
  const alg = makeAlgorithm(inst);
  const spec = { a: [-1, 1] as [number, number], b: [-1, 1] as [number, number], na: res, nb: res };
  const plane: number[] = [], coef: number[] = [], total: number[] = [], regrid: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const p = slicePlane(inst, alg, inst.init, 'random', k);
    const t1 = performance.now();
    const slice = computeSlice(alg, p, spec);
    const t2 = performance.now();
    plane.push(t1 - t0);
    coef.push(t2 - t1);
    total.push(t2 - t0);
    const t3 = performance.now();
    quarticGrid(slice.coefficients, { ...spec, a: [-0.5, 2], b: [-2, 0.3] });
    regrid.push(performance.now() - t3);
  }
  return { plane: median(plane), coefficients: median(coef) - median(regrid), grid: median(regrid), total: median(total), regrid: median(regrid) };
}
