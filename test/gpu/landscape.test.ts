// The landscape kernel (shaders/landscape.wgsl) against the float64 grid of src/core/toy.ts, on Dawn in
// Node. A missing adapter fails these tests; it never skips them. The WGSL is read from disk, as the
// Node CLI would (the app bundles the same file with Vite's ?raw, src/gpu/landscape-shader.ts).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GridSpec, type Point, evaluateGridCpu, gridCoords } from '../../src/core/toy';
import { TOY_NAMES } from '../../src/core/toys/registry';
import { type AcquiredDevice, acquireDevice } from '../../src/gpu/device';
import { LandscapeKernel, PARAMS_FIELDS, WORKGROUP, dispatchShape, evaluateGridGpu, paramsBytes } from '../../src/gpu/landscape';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';

const source = readFileSync(new URL('../../shaders/landscape.wgsl', import.meta.url), 'utf8');

/**
 * Error model (unit roundoff ε = 2⁻²⁴; WGSL's +, −, × are correctly rounded, log2 has absolute error
 * < 2⁻²¹ on [0.5, 2] and 3 ulp elsewhere; a fused multiply-add only removes roundings):
 *
 * - coordinates: u_i = f32(u0) + i·f32(du) is off from the exact u0 + i·h by at most
 *   ε(|u0| + |u1 − u0| (du's rounding, times i ≤ n − 1) + |u1 − u0| (the product) + |u|) ≤ 6εR_u, R_u = max(|u0|, |u1|);
 * - p = uv: Δp ≤ (|u| + δu)δv + |v|δu + ε|uv|;   e = 1 − p: Δe ≤ Δp + ε(|e| + Δp);
 * - g = ½e²: Δg ≤ Δe(|e| + Δe/2) + ε(g + …);
 * - c = u² − v²: Δc ≤ (2|u| + δu)δu + (2|v| + δv)δv + 2ε(u² + v²);   b = (μ_b/4)c²: Δb ≤ (μ_b/4)(2|c| + Δc)Δc + 4εb;
 * - G = g + b: ΔG ≤ Δg + Δb + ε(G + Δg + Δb);
 * - L = log10(G + ε_L): the sum adds ε(G + ε_L) + ε·ε_L, the logarithm turns an absolute error Δx into
 *   Δx/(x ln 10), log2 adds its own error (times log10 2), the final product ε|L|.
 *
 * The bound is this sum times 2 (slack for the second-order terms dropped above). It scales with the
 * sensitivity of g to its inputs, so near the hyperbola (g → 0) and far out (g ~ 10²…10⁴) it is a few
 * ulps of the value's own scale, not one global epsilon.
 */
const EPS = 2 ** -24;
function errorBound(spec: GridSpec, u: number, v: number, G: number): { g: number; log: number } {
  const du = 6 * EPS * Math.max(Math.abs(spec.u[0]), Math.abs(spec.u[1]));
  const dv = 6 * EPS * Math.max(Math.abs(spec.v[0]), Math.abs(spec.v[1]));
  const e = Math.abs(1 - u * v);
  const dp = (Math.abs(u) + du) * dv + Math.abs(v) * du + EPS * Math.abs(u * v);
  const de = dp + EPS * (e + dp);
  const dg = de * (e + de / 2) + EPS * (0.5 * e * e + de * (e + de / 2));
  let db = 0;
  if (spec.kind === 'balanced') {
    const c = Math.abs(u * u - v * v);
    const dc = (2 * Math.abs(u) + du) * du + (2 * Math.abs(v) + dv) * dv + 2 * EPS * (u * u + v * v);
    db = (spec.mub / 4) * (2 * c + dc) * dc + 4 * EPS * (spec.mub / 4) * c * c;
  }
  let dG = dg + db + EPS * (G + dg + db);
  if (spec.kind === 'symmetric') {
    // f = a² + 2x² + b², a = u² − 1, x = uv, b = v² − σ₂ (σ₂ rounded to f32 too)
    const a = Math.abs(u * u - 1), da = (2 * Math.abs(u) + du) * du + EPS * (u * u + 1);
    const x = Math.abs(u * v), dx = dp + EPS * x;
    const s2 = spec.mub, b2 = Math.abs(v * v - s2), db2 = (2 * Math.abs(v) + dv) * dv + EPS * (v * v + 2 * s2);
    const dF = (2 * a + da) * da + 2 * (2 * x + dx) * dx + (2 * b2 + db2) * db2;
    dG = dF + 4 * EPS * (G + dF);
  }
  const x = G + spec.eps, dx = dG + EPS * (x + dG) + EPS * spec.eps;
  const l2 = Math.log2(x);
  const log2Err = x >= 0.5 && x <= 2 ? 2 ** -21 : 3 * 2 ** (Math.floor(Math.log2(Math.abs(l2))) - 23);
  const dL = dx / (Math.max(x - dx, Number.MIN_VALUE) * Math.LN10) + Math.LOG10E * Math.LN2 * log2Err + EPS * Math.abs(Math.log10(x)) * 2;
  return { g: 2 * dG, log: 2 * dL };
}

let g: NodeGpu, dev: AcquiredDevice;
beforeAll(async () => {
  g = await nodeGpu();
  dev = await acquireDevice(g.gpu, 'landscape-test');
});
afterAll(() => {
  dev?.device.destroy();
  g?.release();
});

describe('layout and dispatch (GPU-free)', () => {
  it('PARAMS_FIELDS lists the WGSL Params struct, field by field', () => {
    const body = /struct Params \{([^}]*)\}/.exec(source)![1];
    const fields = [...body.matchAll(/(\w+)\s*:\s*(f32|u32)/g)].map((m) => [m[1], m[2]]);
    expect(fields).toEqual(PARAMS_FIELDS.map(([n, t]) => [n, t]));
    expect(source).toContain(`@workgroup_size(${WORKGROUP}, ${WORKGROUP}, 1)`);
  });

  it('paramsBytes writes each field at 4·index; dispatchShape covers the grid', () => {
    const spec: GridSpec = { kind: 'balanced', mub: 0.25, u: [-2, 1], v: [0, 5], nu: 4, nv: 11, eps: 1e-3 };
    const view = new DataView(paramsBytes(spec));
    const at = (name: string) => 4 * PARAMS_FIELDS.findIndex(([n]) => n === name);
    expect(view.byteLength).toBe(48);
    expect([view.getFloat32(at('u0'), true), view.getFloat32(at('du'), true), view.getFloat32(at('dv'), true)]).toEqual([-2, 1, 0.5]);
    expect([view.getUint32(at('nu'), true), view.getUint32(at('nv'), true), view.getUint32(at('kind'), true)]).toEqual([4, 11, 1]);
    expect(view.getFloat32(at('mub'), true)).toBe(0.25);
    expect(dispatchShape({ nu: 4, nv: 11 })).toEqual([1, 2]);
    expect(dispatchShape({ nu: 161, nv: 64 })).toEqual([21, 8]);
  });
});

const cases: { name: string; spec: GridSpec }[] = [
  { name: 'plain, [−2, 2]², 161×161 (the view)', spec: { kind: 'plain', mub: 0, u: [-2, 2], v: [-2, 2], nu: 161, nv: 161, eps: 1e-3 } },
  { name: 'balanced μ_b = 1/16, [−2, 2]², 161×161', spec: { kind: 'balanced', mub: 1 / 16, u: [-2, 2], v: [-2, 2], nu: 161, nv: 161, eps: 1e-3 } },
  { name: 'plain, [−3, 1] × [−0.5, 2.5], 200×77', spec: { kind: 'plain', mub: 0, u: [-3, 1], v: [-0.5, 2.5], nu: 200, nv: 77, eps: 1e-3 } },
  { name: 'balanced μ_b = 0.4, [−10, 10]², 65×129', spec: { kind: 'balanced', mub: 0.4, u: [-10, 10], v: [-10, 10], nu: 65, nv: 129, eps: 1e-6 } },
  { name: 'symmetric σ₂ = 0.5, [−2, 2]², 161×161', spec: { kind: 'symmetric', mub: 0.5, u: [-2, 2], v: [-2, 2], nu: 161, nv: 161, eps: 1e-3 } },
  { name: 'symmetric σ₂ = 0.3, near the minimum (1, 0): [0.9, 1.1] × [−0.05, 0.05], 33×17', spec: { kind: 'symmetric', mub: 0.3, u: [0.9, 1.1], v: [-0.05, 0.05], nu: 33, nv: 17, eps: 1e-8 } },
  { name: 'balanced μ_b = 1/16, near (1, 1): [0.9, 1.1] × [0.95, 1.05], 33×17', spec: { kind: 'balanced', mub: 1 / 16, u: [0.9, 1.1], v: [0.95, 1.05], nu: 33, nv: 17, eps: 1e-8 } },
];

it('the cases cover every toy of the registry', () => {
  expect(new Set(cases.map((c) => c.spec.kind))).toEqual(new Set(TOY_NAMES));
});

describe.each(cases)('$name', ({ spec }) => {
  it('the GPU grid equals the float64 grid within the f32 error model', async () => {
    const gpu = await evaluateGridGpu(dev.device, spec, source);
    const cpu = evaluateGridCpu(spec);
    expect(gpu.value).toBeInstanceOf(Float32Array);
    expect([gpu.value.length, gpu.log.length]).toEqual([spec.nu * spec.nv, spec.nu * spec.nv]);
    const us = gridCoords(spec.u, spec.nu), vs = gridCoords(spec.v, spec.nv);
    const bad: string[] = [];
    let worst = { g: 0, log: 0 }, maxErr = { g: 0, log: 0 };
    for (let j = 0; j < spec.nv; j++) {
      for (let i = 0; i < spec.nu; i++) {
        const k = j * spec.nu + i;
        const b = errorBound(spec, us[i], vs[j], cpu.value[k]);
        const eg = Math.abs(gpu.value[k] - cpu.value[k]), el = Math.abs(gpu.log[k] - cpu.log[k]);
        worst = { g: Math.max(worst.g, eg / b.g), log: Math.max(worst.log, el / b.log) };
        maxErr = { g: Math.max(maxErr.g, eg / (1 + cpu.value[k])), log: Math.max(maxErr.log, el) };
        if ((eg > b.g || el > b.log) && bad.length < 5) {
          bad.push(`(i, j) = (${i}, ${j}), (u, v) = (${us[i]}, ${vs[j]}): g ${gpu.value[k]} vs ${cpu.value[k]} (bound ${b.g}); log ${gpu.log[k]} vs ${cpu.log[k]} (bound ${b.log})`);
        }
      }
    }
    console.log(`${spec.kind} ${spec.nu}×${spec.nv} on [${spec.u}]×[${spec.v}]: max |Δg|/bound ${worst.g.toFixed(3)}, max |Δlog|/bound ${worst.log.toFixed(3)}; max |Δg|/(1 + g) ${maxErr.g.toExponential(2)}, max |Δlog10| ${maxErr.log.toExponential(2)}`);
    expect(bad).toEqual([]);
  });
});

describe('the kernel object', () => {
  it('caches the pipeline per device and source; a broken shader is an error, not a silent grid', async () => {
    expect(new LandscapeKernel(dev.device, source).pipeline).toBe(new LandscapeKernel(dev.device, source).pipeline);
    const spec: GridSpec = { kind: 'plain', mub: 0, u: [-1, 1] as Point, v: [-1, 1] as Point, nu: 8, nv: 8, eps: 1e-3 };
    await expect(evaluateGridGpu(dev.device, spec, source.replace('let v = params.v0', 'let v = params.w0'))).rejects.toThrow(/landscape kernel/);
    // the device is still usable afterwards
    const ok = await evaluateGridGpu(dev.device, spec, source);
    expect(ok.value[0]).toBeCloseTo(0, 6); // (−1, −1): uv = 1
  });

  it('refuses a grid the device cannot hold', async () => {
    const n = 1 << 15;
    await expect(evaluateGridGpu(dev.device, { kind: 'plain', mub: 0, u: [-1, 1], v: [-1, 1], nu: n, nv: n, eps: 1e-3 }, source)).rejects.toThrow(/bytes, above this device's storage limit/);
  });
});
