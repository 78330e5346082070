// The GPU Hessian–vector product (shaders/hvp.wgsl) and the GPU slice grid (shaders/slice.wgsl) against
// the float64 CPU reference, on Dawn in Node. A missing adapter fails these tests; it never skips them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeInstance, makeAlgorithm } from '../../src/core/build';
import { curvatureAt } from '../../src/core/curvature';
import type { State } from '../../src/core/dgd';
import { parseExperiment } from '../../src/core/experiment';
import { Rng } from '../../src/core/rng';
import { QUARTIC_TERMS, computeSlice, quarticGrid, gridAxis, slicePlane } from '../../src/core/slice';
import { type AcquiredDevice, acquireDevice } from '../../src/gpu/device';
import { GpuHvp, hvpNodeTable } from '../../src/gpu/families/factor-hvp';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { SLICE_PARAMS, quarticGridGpu } from '../../src/gpu/slice';
import { GpuEngine } from '../../src/gpu/families/factor';
import { loadShaderSources } from '../../src/gpu/shaders-node';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { chooseEngine } from '../../src/engine/backend';

const hvpSource = readFileSync(new URL('../../shaders/hvp.wgsl', import.meta.url), 'utf8');
const sliceSource = readFileSync(new URL('../../shaders/slice.wgsl', import.meta.url), 'utf8');
const EPS = 2 ** -24;

let g: NodeGpu, dev: AcquiredDevice;
beforeAll(async () => {
  g = await nodeGpu();
  dev = await acquireDevice(g.gpu, 'curvature-test');
});
afterAll(() => {
  dev?.device.destroy();
  g?.release();
});

const doc = (alg: 'dgd-local' | 'gd', J: number) => parseExperiment({
  format: 'lowrank-lab/experiment', version: 1,
  problem: { kind: 'factorization', rank: 3, generate: { seed: 2, n: 20, m: 36, trueRank: 3 }, ...(alg === 'gd' ? {} : { partition: [5, 9, 10, 12] }) },
  ...(alg === 'gd' ? {} : { network: { topology: 'ring', J, weights: 'metropolis', lazy: true } }),
  algorithm: { name: alg, stepsize: { rule: 'practical', c: 0.5 }, iterations: 10 },
  init: { seed: 3, scale: 0.5 },
});

describe('GPU-free wiring', () => {
  it('the node table lists (first row, mⱼ, Y offset) and the node of every V row', () => {
    expect(Array.from(hvpNodeTable([2, 1, 3], 4))).toEqual([0, 2, 0, 2, 1, 8, 3, 3, 12, 0, 0, 1, 2, 2, 2]);
  });
  it('SLICE_PARAMS lists the WGSL Params struct, field by field', () => {
    const body = /struct Params \{([^}]*)\}/.exec(sliceSource)![1];
    expect([...body.matchAll(/(\w+)\s*:\s*(f32|u32)/g)].map((m) => [m[1], m[2]])).toEqual(SLICE_PARAMS.map(([n, t]) => [n, t]));
  });
});

describe.each([
  { name: 'DGD+LOCAL, ring J=4, uneven blocks', exp: doc('dgd-local', 4) },
  { name: 'centralized GD', exp: doc('gd', 1) },
])('GPU Hessian–vector product: $name', ({ exp }) => {
  const inst = buildNodeInstance(exp);
  const alg = makeAlgorithm(inst);
  const rng = new Rng(5);
  const z: State = { X: rng.normals(inst.init.X.length), Y: rng.normals(inst.init.Y.length) };
  const dz: State = { X: rng.normals(z.X.length), Y: rng.normals(z.Y.length) };

  it('matches the float64 product entry by entry under an f32 error model', async () => {
    const hvp = new GpuHvp(dev.device, hvpSource, inst);
    const got = await hvp.apply(z, dz);
    hvp.destroy();
    const ref = alg.hessianVector(z, dz);
    // the magnitude of every f32 sum: the node products with |·| on every input and −|Y| for Y (so that
    // |e| ≤ |U||V| + |Y| is what gets summed), plus Σᵢ cⱼᵢ(|dxʲ| + |dxⁱ|) for the coupling
    const p = inst.problem as { n: number; r: number; m: number; blocks: { data: Float64Array }[]; Y: { data: Float64Array }; partition: number[] };
    const absProblem = { ...inst.problem, blocks: p.blocks.map((b) => ({ ...b, data: b.data.map((v) => -Math.abs(v)) })), Y: { ...p.Y, data: p.Y.data.map((v) => -Math.abs(v)) } };
    const absObj = buildNodeInstance({ ...exp, problem: { kind: 'factorization', rank: p.r, Y: { shape: [p.n, p.m], data: Array.from(absProblem.Y.data) }, ...(exp.algorithm.name === 'gd' ? {} : { partition: p.partition }) } }).objective;
    const { J, sharedLen: sl } = inst.objective;
    const mag: State = { X: new Float64Array(z.X.length), Y: new Float64Array(z.Y.length) };
    let yo = 0;
    for (let j = 0; j < J; j++) {
      const ly = inst.objective.localLen[j];
      const sx = (v: Float64Array) => v.subarray(j * sl, (j + 1) * sl).map(Math.abs);
      const sy = (v: Float64Array) => v.subarray(yo, yo + ly).map(Math.abs);
      absObj.hessianVector!(j, sx(z.X), sy(z.Y), sx(dz.X), sy(dz.Y), mag.X.subarray(j * sl, (j + 1) * sl), mag.Y.subarray(yo, yo + ly));
      for (let i = 0; i < J; i++) {
        const c = i === j ? 0 : inst.W.data[j * J + i] / inst.stepsize;
        for (let k = 0; c && k < sl; k++) mag.X[j * sl + k] += c * (Math.abs(dz.X[j * sl + k]) + Math.abs(dz.X[i * sl + k]));
      }
      yo += ly;
    }
    // K: the longest f32 sum (mⱼ or n terms of r-term dot products) with a factor 4 of slack
    const K = 4 * (Math.max(p.n, p.m) + p.r);
    let worst = 0;
    const first: string[] = [];
    for (const key of ['X', 'Y'] as const) {
      for (let i = 0; i < ref[key].length; i++) {
        const tol = K * EPS * mag[key][i];
        const err = Math.abs(got[key][i] - ref[key][i]);
        worst = Math.max(worst, err / tol);
        if (err > tol && first.length < 3) first.push(`${key}[${i}]: expected ${ref[key][i]}, got ${got[key][i]} (tolerance ${tol.toExponential(2)})`);
      }
    }
    expect(first).toEqual([]);
    expect(worst).toBeLessThan(1);
  });

  it('Lanczos on GPU products finds the CPU λ_min and λ_max to float32 accuracy', async () => {
    const hvp = new GpuHvp(dev.device, hvpSource, inst);
    const gpu = await hvp.lanczos(z, { maxIter: 80, tol: 1e-6 });
    hvp.destroy();
    const cpu = curvatureAt(alg, z, { maxIter: 200 });
    const scale = Math.max(Math.abs(cpu.max), Math.abs(cpu.min));
    expect(Math.abs(gpu.min - cpu.min)).toBeLessThan(1e-4 * scale);
    expect(Math.abs(gpu.max - cpu.max)).toBeLessThan(1e-4 * scale);
  });
});

describe('GPU slice grid', () => {
  it('matches the float64 grid of the same quartic under an f32 error model', async () => {
    const inst = buildNodeInstance(doc('dgd-local', 4));
    const alg = makeAlgorithm(inst);
    const plane = slicePlane(inst, alg, inst.init, 'random', 1);
    const spec = { a: [-1.3, 0.9] as [number, number], b: [-1, 1.7] as [number, number], na: 61, nb: 47 };
    const { coefficients: c } = computeSlice(alg, plane, spec);
    const ref = quarticGrid(c, spec);
    const got = await quarticGridGpu(dev.device, sliceSource, c, spec);
    const A = gridAxis(spec.a, spec.na), B = gridAxis(spec.b, spec.nb);
    const first: string[] = [];
    for (let j = 0; j < spec.nb; j++) for (let i = 0; i < spec.na; i++) {
      const a = Math.abs(A[i]), b = Math.abs(B[j]);
      // Σ|c_pq||a|ᵖ|b|^q (rounding of the terms, Horner) and the coordinates' rounding through ∂φ/∂a, ∂φ/∂b
      let mag = 0, da = 0, db = 0;
      QUARTIC_TERMS.forEach(([p, q], k) => {
        mag += Math.abs(c[k]) * a ** p * b ** q;
        if (p) da += p * Math.abs(c[k]) * a ** (p - 1) * b ** q;
        if (q) db += q * Math.abs(c[k]) * a ** p * b ** (q - 1);
      });
      const tol = 16 * EPS * mag + 4 * EPS * 2 * (da * 1.3 + db * 1.7);
      const k = j * spec.na + i;
      if (Math.abs(got[k] - ref[k]) > tol && first.length < 3) first.push(`(${i}, ${j}): expected ${ref[k]}, got ${got[k]}, tolerance ${tol.toExponential(2)}`);
    }
    expect(first).toEqual([]);
  });
});

describe('the curvature trace of a WebGPU run', () => {
  it('is computed from the GPU iterate and follows the float64 run: negative at the start, ≥ 0 (to f32 accuracy) at the end', async () => {
    const exp = parseExperiment({
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'factorization', rank: 2, generate: { seed: 4, n: 12, m: 24, trueRank: 2 } },
      network: { topology: 'ring', J: 4, weights: 'metropolis', lazy: true },
      algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.8 }, iterations: 3000, recordEvery: 100, curvatureEvery: 500 },
      init: { seed: 1, scale: 1e-3 },
    });
    const inst = buildNodeInstance(exp);
    const gpu = await GpuEngine.create({ gpu: g.gpu, shaders: loadShaderSources() });
    const out = await runSession(gpu, inst);
    gpu.destroy();
    const ref = await runSession(new CpuEngine(), inst);
    const c = out.trace.curvature!, r = ref.trace.curvature!;
    expect(c).toHaveLength(out.trace.iteration.length);
    const lmax = Math.abs(ref.verdict!.lambdaMax);
    expect(c[0]).toBeLessThan(-0.01 * lmax);
    expect(Math.abs(c[0] - r[0])).toBeLessThan(1e-5 * lmax);
    expect(c[c.length - 1]).toBeGreaterThan(-1e-5 * lmax);
    expect(out.verdict!.kind).toBe('minimum');
  });
});

describe('engine choice', () => {
  it('perturbed gradient descent runs on the CPU engine even when WebGPU is asked for, and says why', async () => {
    const exp = parseExperiment({
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'factorization', rank: 2, generate: { seed: 4, n: 6, m: 8 } },
      algorithm: { name: 'gd', stepsize: 0.01, iterations: 5, perturb: { radius: 1e-3, threshold: 1e-3 } },
    });
    const choice = await chooseEngine({ prefer: 'webgpu', gpu: g.gpu, shaders: loadShaderSources(), instance: buildNodeInstance(exp) });
    expect(choice.engine.kind).toBe('cpu');
    expect(choice.reason).toMatch(/Perturbed gradient descent \(algorithm\.perturb\) runs on the CPU engine/);
    choice.engine.destroy();
  });
});
