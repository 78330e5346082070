// The symmetric PSD kinds (X = UUᵀ) on WebGPU (src/gpu/families/symmetric.ts, shaders/symmetric.wgsl):
// the float32 trace of GD and classical DGD (ring, J = 4; RPCA J = 2) against the float64 CPU engine, metric by metric,
// within the error model of test/engines/tolerance.ts, and the final iterate. Runs on Dawn in Node; a
// missing adapter fails these tests instead of skipping them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstance } from '../../src/core/build';
import { GpuUnsupportedError } from '../../src/core/engine-api';
import { parseExperiment } from '../../src/core/experiment';
import { CpuEngine } from '../../src/engine/cpu';
import { SymmetricGpuEngine } from '../../src/gpu/families/symmetric';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { shaderSources } from '../../src/gpu/shaders';
import { NODES, PROBLEMS, compare, doc, fmt, trace } from './symmetric-parity';
import { factorizationDoc } from '../unit/helpers';

const shader = shaderSources.symmetric!;

let g: NodeGpu;
beforeAll(async () => {
  g = await nodeGpu();
});
afterAll(() => g.release());

describe('the symmetric kinds on WebGPU match the float64 CPU engine', () => {
  const cases = Object.entries(PROBLEMS).flatMap(([name, problem]) => [1, NODES[name]].map((J) => [`${name}, ${J > 1 ? `classical DGD (ring, J = ${J})` : 'GD'}`, problem, J] as const));
  it.each(cases)('%s', async (label, problem, J) => {
    const inst = buildInstance(parseExperiment(doc(problem, J)));
    const ref = await trace(new CpuEngine(), inst);
    const got = await trace(await SymmetricGpuEngine.create({ gpu: g.gpu, shader }), inst);
    const { worst, where, rel } = compare(inst, ref, got);
    console.log(`${label}: worst error/tolerance ${worst.toFixed(3)} (${where}); max relative deviation: ${fmt(rel)}`);
    expect(worst, where).toBeLessThanOrEqual(1);
    // the run moved: the tolerance is not met by standing still
    expect(ref.rows.at(-1)!.objective).toBeLessThan(0.9 * ref.rows[0].objective);
  }, 120_000);

  it('a 0.1 % change of μ breaks the tolerance (it is not vacuous)', async () => {
    const inst = buildInstance(parseExperiment(doc(PROBLEMS.completion, 4)));
    const bumped = buildInstance(parseExperiment(doc(PROBLEMS.completion, 4, inst.stepsize * 1.001)));
    const ref = await trace(new CpuEngine(), inst);
    const got = await trace(await SymmetricGpuEngine.create({ gpu: g.gpu, shader }), bumped);
    expect(compare(inst, ref, got).worst).toBeGreaterThan(1);
  }, 120_000);

  it('snapshot / restore round-trips the iterate', async () => {
    const inst = buildInstance(parseExperiment(doc(PROBLEMS.completion, 4)));
    const e = await SymmetricGpuEngine.create({ gpu: g.gpu, shader });
    await e.load(inst);
    await e.advance(5);
    const s = await e.snapshot();
    await e.advance(5);
    const a = await e.metrics();
    await e.restore(s.state, s.iteration);
    await e.advance(5);
    const b = await e.metrics();
    expect(b).toEqual(a);
    e.destroy();
  }, 60_000);

  it('a problem of another family is refused with GpuUnsupportedError', async () => {
    const inst = buildInstance(parseExperiment(factorizationDoc({ n: 6, m: 6, rank: 2, J: 2, alg: 'dgd' })));
    const e = await SymmetricGpuEngine.create({ gpu: g.gpu, shader });
    expect(() => e.check(inst)).toThrow(GpuUnsupportedError);
    await expect(e.load(inst)).rejects.toThrow(/"factorization" runs on the CPU engine/);
    e.destroy();
  });
});
