/**
 * What a toy of the Landscape view is: a function of two variables (u, v) with one optional parameter,
 * everything the view draws about it (critical points, the saddles' stable manifold, curves of minima,
 * its words), and its WGSL twin for the landscape kernel. Each toy lives with its problem family
 * (src/core/toys/uv.ts, src/core/problems/symmetric/toy.ts); src/core/toys/registry.ts lists them and
 * src/core/toy.ts, the landscape kernel, the link and the view iterate the list. Leaf module: zod only.
 */
import * as z from 'zod';

export type Point = [number, number];
/** A symmetric 2×2 matrix [[uu, uv], [uv, vv]]. */
export interface Sym2 { uu: number; uv: number; vv: number }

export type CriticalType = 'minimum' | 'saddle' | 'maximum';

/** A role in the picture; the view gives each its mark and colour. */
export type LegendRole = 'minimum' | 'minimum-curve' | 'saddle' | 'maximum' | 'manifold';

export const finite = z.number({ error: (iss) => (typeof iss.input === 'number' ? `is ${iss.input}; must be finite` : 'must be a number') });

/** The toy's one parameter: a field of the view's parameters, its link key and its slider. */
export interface ToyParam {
  /** the field of LandscapeParams that holds it */
  field: string;
  /** its key in a link (?lmub=…) */
  urlKey: string;
  /** validation and default */
  schema: z.ZodType<number>;
  /** its symbol in labels: "μ_b", "σ₂" */
  symbol: string;
  /** the slider's accessible name, range and tooltip */
  aria: string;
  min: number;
  max: number;
  step: number;
  title: string;
}

export interface Toy {
  /** its name in links (?lk=…) and the view's parameters */
  name: string;
  /** the radio button's label and tooltip */
  label: string;
  title: string;
  /** the view's heading and lead paragraph */
  heading: string;
  lead: string;
  /** the function's letter in words such as "direction of −∇g" */
  symbol: string;
  param?: ToyParam;
  /** the chart's title for parameter p */
  objectiveName(p: number): string;

  value(p: number, u: number, v: number): number;
  gradient(p: number, u: number, v: number): Point;
  hessian(p: number, u: number, v: number): Sym2;
  /** the isolated critical points */
  criticalPoints(p: number): { u: number; v: number; type: CriticalType }[];
  /** curves of non-isolated minima clipped to the box (the hyperbola uv = 1), or none */
  minimumCurves?(p: number, range: Point): Point[][];
  /** the stable manifold of the saddles clipped to the box, null when it misses it */
  stableManifold(uRange: Point, vRange: Point): [Point, Point] | null;
  /** words for the pictured things: the markers' names and the legend under the chart */
  names: { saddle: string; minimum: string; maximum: string; manifold: string; manifoldWhere: string; minimumCurve?: string };
  legend(p: number): { role: LegendRole; label: string }[];
  /** the saddle-escape demo (GD started δ off the manifold u + v = 0) applies to it */
  escape: boolean;
  /**
   * WGSL: `fn toy_<name>(u: f32, v: f32, p: f32) -> f32`, the value in float32 (the landscape kernel,
   * shaders/landscape.wgsl, calls it through a switch on the toy's index in the registry).
   */
  wgsl: string;
}

/** The WGSL function name a toy defines. */
export const wgslName = (toy: Pick<Toy, 'name'>) => `toy_${toy.name.replace(/[^A-Za-z0-9]/g, '_')}`;

/** A number in a label: 3 significant digits, exponent form outside [10⁻³, 10⁴). */
export function fmt(x: number, digits = 3): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1);
}
