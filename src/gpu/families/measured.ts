/**
 * Matrix sensing, matrix completion and robust PCA (SPEC §5–6) on the WebGPU engine: the layout, the data
 * upload and the per-iteration dispatches, driven by GpuEngine behind the same Engine seam as the
 * factorization. Every node of every trial runs in the same dispatches (slot s = trial·J + node as a
 * dispatch dimension), all data stays resident, and an iteration reads nothing back:
 *
 *   sensing     [grams] m_product, m_sense_apply, m_sense_adjoint, m_u_step, m_v_step
 *   completion  [grams] m_complete_residual, m_u_step, m_v_step
 *   RPCA        [grams] m_rpca_residual, m_rpca_threshold, m_rpca_apply, m_u_step, m_v_step
 *
 * (grams only when some trial has λ > 0.) Metrics: the same residual chain, the steps with METRICS, then
 * m_data, consensus and m_finalize; one readback of OUT_WORDS floats per trial. RPCA's support mismatch is
 * not reduced on the GPU: GpuEngine computes it on the CPU from a snapshot at record time (one more
 * readback of U and V, only for planted RPCA).
 *
 * The kernels live in shaders/measured_*.wgsl; they share the factorization's bind group layout and Params,
 * the grams kernel and the consensus reduction.
 */
import type { NodeInstance } from '../../core/build';
import type { Mat } from '../../core/linalg';
import type { MeasuredProblem } from '../../core/measured';
import {
  CB, GpuLimitError, type DeviceLimits, type Layout, OUT_WORDS, type TrialSpec, buildTables, checkLimits, computeLayout,
} from '../layout';

/** Words per slot of the measured extension (MEXT_WORDS in shaders/measured_common.wgsl; test/unit/wgsl-constants checks every shared constant). */
export const MEXT_WORDS = 16;
/** The words of a slot's measured extension (X_… in shaders/measured_common.wgsl). */
export const X = {
  G: 0, D: 1, AUX: 2, TRUTH: 3, P: 4, E: 5, RES: 6, RESLEN: 7, RESW: 8, C0: 9, KROW: 10, KCOL: 11, QW1: 12, QA1: 13, QW2: 14, QA2: 15,
} as const;
export const NONE = 0xffffffff;
/** rows of 𝒜ⱼ per workgroup of m_sense_apply (KB in shaders/measured_residual.wgsl) */
export const KB = 256;

export function isMeasured(p: NodeInstance['problem']): p is MeasuredProblem {
  return p.kind === 'sensing' || p.kind === 'completion' || p.kind === 'rpca';
}

export interface MeasuredPlan {
  kind: MeasuredProblem['kind'];
  L: Layout;
  params: Uint32Array;
  tables: Uint32Array;
  /** the Y buffer: every distinct problem's data (null from a plan made only to check the limits) */
  data: Float32Array | null;
  /** some trial has λ > 0: the grams run every iteration */
  anyLambda: boolean;
  /** some trial has the completion term Q */
  q: boolean;
  dispatch: {
    entries: [number, number]; blocks: [number, number]; apply: [number, number]; adjoint: [number, number]; threshold: [number, number];
    uStep: [number, number]; vStep: [number, number]; grams: [number, number]; data: [number, number];
    consensus: [number, number]; finalize: [number, number];
  };
}

const MiB = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** The block of columns offset … offset + mⱼ of a row-major n×m matrix, as n×mⱼ row-major. */
function block(M: Mat, offset: number, mj: number): Float64Array {
  const out = new Float64Array(M.rows * mj);
  for (let i = 0; i < M.rows; i++) out.set(M.data.subarray(i * M.cols + offset, i * M.cols + offset + mj), i * mj);
  return out;
}

/**
 * Lay out a batch of measured problems (same kind, n, r and partition; DGD+LOCAL or GD) and check the device
 * limits (GpuLimitError). `pack = false` skips building the data buffer (a limits check only).
 */
export function measuredPlan(instances: NodeInstance[], lim: DeviceLimits, pack = true): MeasuredPlan {
  const p0 = instances[0].problem as MeasuredProblem;
  const { n, r, partition } = p0;
  const J = partition.length, T = instances.length, S = J * T;
  for (const inst of instances) {
    const p = inst.problem;
    if (!isMeasured(p) || p.kind !== p0.kind || p.n !== n || p.r !== r || p.partition.join() !== partition.join()) {
      throw new RangeError('every trial of a batch needs the same problem kind, n, r and partition');
    }
    if (inst.experiment.algorithm.name === 'dgd') throw new RangeError(`classical DGD does not run "${p.kind}"`);
  }
  const problems = instances.map((i) => i.problem as MeasuredProblem);
  // one placeholder block list per distinct problem, so computeLayout's data sharing follows the problem
  const placeholders = new Map<MeasuredProblem, Mat[]>();
  const trials: TrialSpec[] = instances.map((inst, t) => {
    const p = problems[t];
    if (!placeholders.has(p)) placeholders.set(p, partition.map(() => ({ rows: 0, cols: 0, data: new Float64Array(0) })));
    return { blocks: placeholders.get(p)!, W: inst.W, mu: inst.stepsize, lambda: p.lambda };
  });
  const base = computeLayout({ n, r, partition, classical: false, trials });
  const { rp, nRB, nCB, m, offsets } = base;

  // ---- the data buffer: per distinct problem, per node: (𝒜ⱼ, bⱼ | Mⱼ, maskⱼ | Mⱼ), then Xⱼ⋆
  const dataOff = new Map<MeasuredProblem, { d: number; aux: number; truth: number }[]>();
  let words = 0;
  for (const p of placeholders.keys()) {
    dataOff.set(p, partition.map((mj, j) => {
      const nm = n * mj;
      let d = words;
      let aux = NONE;
      if (p.kind === 'sensing') {
        // 𝒜ⱼ rows padded to a multiple of 4 and 𝒜ⱼ starting on a vec4 (the kernels read it as vec4s)
        words = 4 * Math.ceil(words / 4);
        d = words;
        words += p.A[j].rows * 4 * Math.ceil(p.A[j].cols / 4);
        aux = words;
        words += p.b[j].length;
      } else {
        words += nm;
        if (p.kind === 'completion') {
          aux = words;
          words += nm;
        }
      }
      let truth = NONE;
      if (p.truth) {
        truth = words;
        words += nm;
      }
      return { d, aux, truth };
    }));
  }
  const cap = Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize);
  const capName = lim.maxStorageBufferBindingSize <= lim.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
  if (4 * words > cap) {
    const what = p0.kind === 'sensing' ? 'the sensing operators 𝒜ⱼ (with bⱼ and X⋆)' : `the ${p0.kind} data`;
    let hint = 'use a smaller matrix or fewer trials';
    if (p0.kind === 'sensing') {
      // one measurement on every node costs a (padded) row of each 𝒜ⱼ and one word of each bⱼ
      const perProblem = Math.floor(cap / 4 / placeholders.size) - (p0.truth ? n * m : 0) - 3 * J;
      const row = partition.reduce((s, mj) => s + 4 * Math.ceil((n * mj) / 4) + 1, 0);
      const most = Math.max(0, Math.floor(perProblem / row));
      hint = `at n = ${n}, m = ${m}${placeholders.size > 1 ? ` with ${placeholders.size} data sets` : ''} at most ${most} measurements per node fit; use fewer measurements or a smaller matrix`;
    }
    throw new GpuLimitError(capName, `${what} need ${MiB(4 * words)}, more than the device's ${capName} of ${MiB(cap)}; ${hint}.`);
  }
  const data = pack ? new Float32Array(Math.max(words, 4)) : null;
  if (data) for (const [p, offs] of dataOff) {
    partition.forEach((mj, j) => {
      const o = offs[j];
      if (p.kind === 'sensing') {
        const A = p.A[j], stride = 4 * Math.ceil(A.cols / 4);
        for (let k = 0; k < A.rows; k++) data.set(A.data.subarray(k * A.cols, (k + 1) * A.cols), o.d + k * stride);
        data.set(p.b[j], o.aux);
      } else if (p.kind === 'completion') {
        const Mb = block(p.M, offsets[j], mj), mask = new Float32Array(n * mj);
        for (let i = 0; i < n; i++) for (let c = 0; c < mj; c++) mask[i * mj + c] = p.mask[i * m + offsets[j] + c];
        data.set(Mb.map((v, q) => (mask[q] ? v : 0)), o.d);
        data.set(mask, o.aux);
      } else {
        data.set(block(p.M, offsets[j], mj), o.d);
      }
      if (p.truth) data.set(block(p.truth, offsets[j], mj), o.truth);
    });
  }

  // ---- scratch: grams, partials, out, then per slot Gₛ and (sensing) eₛ / (RPCA) thresholds
  const gramOff = 0;
  const partAOff = gramOff + S * 2 * rp * rp;
  const partBOff = partAOff + S * nRB * 4;
  const partCOff = partBOff + S * nCB * 4;
  const partDOff = partCOff + T * nRB * (1 + rp * rp);
  const outOff = partDOff + 2 * S;
  let sw = outOff + T * OUT_WORDS;
  const gOff: number[] = [], eOff: number[] = [];
  for (let s = 0; s < S; s++) {
    gOff.push(sw);
    sw += n * partition[s % J];
  }
  for (let s = 0; s < S; s++) {
    const p = problems[Math.floor(s / J)], j = s % J;
    eOff.push(sw);
    sw += p.kind === 'sensing' ? p.A[j].rows : p.kind === 'rpca' ? n + partition[j] : 0;
  }
  const scratchWords = sw;

  // ---- tables: the factorization's slot records and neighbour lists, then the extra records
  const baseTables = buildTables(base, trials);
  const extBase = baseTables.length;
  const tables = new Uint32Array(extBase + S * MEXT_WORDS);
  tables.set(baseTables);
  const f32 = new Float32Array(tables.buffer);
  let pmax = 1;
  for (let s = 0; s < S; s++) {
    const t = Math.floor(s / J), j = s % J, p = problems[t], mj = partition[j];
    const o = dataOff.get(p)![j];
    const rec = extBase + s * MEXT_WORDS;
    tables[rec + X.G] = gOff[s];
    tables[rec + X.D] = o.d;
    tables[rec + X.AUX] = o.aux;
    tables[rec + X.TRUTH] = o.truth;
    tables[rec + X.E] = eOff[s];
    if (p.kind === 'sensing') {
      tables[rec + X.P] = p.A[j].rows;
      pmax = Math.max(pmax, p.A[j].rows);
      tables[rec + X.RES] = eOff[s];
      tables[rec + X.RESLEN] = p.A[j].rows;
      f32[rec + X.RESW] = 0.5;
    } else {
      tables[rec + X.RES] = gOff[s];
      tables[rec + X.RESLEN] = n * mj;
      f32[rec + X.RESW] = p.kind === 'completion' ? p.pObs / 2 : 0.5;
    }
    if (p.kind === 'completion') {
      f32[rec + X.C0] = 1 / p.pObs;
      if (p.Q) {
        f32[rec + X.QW1] = p.Q.lambda1 / J;
        f32[rec + X.QA1] = p.Q.alpha1;
        f32[rec + X.QW2] = p.Q.lambda2;
        f32[rec + X.QA2] = p.Q.alpha2;
      }
    }
    if (p.kind === 'rpca') {
      f32[rec + X.C0] = p.bound;
      // the same budgets as sparseProjection (src/core/measured.ts)
      tables[rec + X.KROW] = Math.min(mj, Math.ceil(p.gamma * p.alpha * mj));
      tables[rec + X.KCOL] = Math.min(n, Math.ceil(p.gamma * p.alpha * n));
    }
  }

  const L: Layout = {
    ...base,
    words: { Y: Math.max(words, 4), U: base.words.U, V: base.words.V, P: 4, tables: tables.length, scratch: scratchWords },
    scratch: { gramOff, partAOff, partBOff, partCOff, partVOff: partDOff, outOff },
  };
  const mmax = Math.max(...partition);
  const entries = Math.ceil((n * mmax) / 64);
  // the residual kernels give a thread a 4 × 4 block
  const blocks = Math.ceil((Math.ceil(n / 4) * Math.ceil(mmax / 4)) / 64);
  const plan: MeasuredPlan = {
    kind: p0.kind, L, data, tables,
    params: Uint32Array.from([n, S, J, T, nRB, nCB, 0, 0, base.nbrBase, gramOff, partAOff, partBOff, partCOff, partDOff, outOff, extBase]),
    anyLambda: problems.some((p) => p.lambda !== 0),
    q: problems.some((p) => p.kind === 'completion' && p.Q !== null),
    dispatch: {
      entries: [entries, S], blocks: [blocks, S], apply: [Math.ceil(pmax / KB), S], adjoint: [Math.ceil((n * mmax) / 1024), S], threshold: [Math.ceil((n + mmax) / 64), S],
      uStep: [nRB, S], vStep: [Math.ceil(mmax / CB), S], grams: [S, 1], data: [S, 1], consensus: [nRB, T], finalize: [T, 1],
    },
  };
  if (4 * scratchWords > cap) {
    throw new GpuLimitError(capName, `the residual matrices Gⱼ (n×mⱼ per node) and the metric partials need ${MiB(4 * scratchWords)}, more than the device's ${capName} of ${MiB(cap)}; use a smaller matrix or fewer trials.`);
  }
  checkLimits(L, lim);
  const maxDim = Math.max(...Object.values(plan.dispatch).map(([x, y]) => Math.max(x, y)));
  if (maxDim > lim.maxComputeWorkgroupsPerDimension) {
    throw new GpuLimitError('maxComputeWorkgroupsPerDimension', `a dispatch needs ${maxDim} workgroups in one dimension, more than the device's maxComputeWorkgroupsPerDimension of ${lim.maxComputeWorkgroupsPerDimension}; the largest n·mⱼ that fits is ${64 * lim.maxComputeWorkgroupsPerDimension}.`);
  }
  return plan;
}

export type MeasuredPipes = Record<
  'grams' | 'consensus' | 'product' | 'senseApply' | 'senseAdjoint' | 'completeResidual' | 'rpcaResidual' | 'rpcaThreshold' | 'rpcaApply'
  | 'uStep' | 'uStepM' | 'vStep' | 'vStepM' | 'data' | 'finalize',
  GPUComputePipeline
>;

/** The residual chain: leaves Gₛ (and eₛ) at the current iterate. Returns the number of dispatches. */
function encodeResidual(pass: GPUComputePassEncoder, plan: MeasuredPlan, pipes: MeasuredPipes): number {
  const d = plan.dispatch;
  const run = (p: GPUComputePipeline, g: [number, number]) => {
    pass.setPipeline(p);
    pass.dispatchWorkgroups(...g);
  };
  let k = 0;
  if (plan.anyLambda) {
    run(pipes.grams, d.grams);
    k++;
  }
  if (plan.kind === 'sensing') {
    run(pipes.product, d.blocks);
    run(pipes.senseApply, d.apply);
    run(pipes.senseAdjoint, d.adjoint);
    return k + 3;
  }
  if (plan.kind === 'completion') {
    run(pipes.completeResidual, d.blocks);
    return k + 1;
  }
  run(pipes.rpcaResidual, d.blocks);
  run(pipes.rpcaThreshold, d.threshold);
  run(pipes.rpcaApply, d.entries);
  return k + 3;
}

/** One iteration (the bind group of the current parity set by the caller). Returns the number of dispatches. */
export function encodeMeasuredIteration(pass: GPUComputePassEncoder, plan: MeasuredPlan, pipes: MeasuredPipes): number {
  const k = encodeResidual(pass, plan, pipes);
  pass.setPipeline(pipes.uStep);
  pass.dispatchWorkgroups(...plan.dispatch.uStep);
  pass.setPipeline(pipes.vStep);
  pass.dispatchWorkgroups(...plan.dispatch.vStep);
  return k + 2;
}

/** The metrics pass: leaves OUT_WORDS per trial at scratch[outOff]. Returns the number of dispatches. */
export function encodeMeasuredMetrics(pass: GPUComputePassEncoder, plan: MeasuredPlan, pipes: MeasuredPipes): number {
  const d = plan.dispatch;
  let k = encodeResidual(pass, plan, pipes);
  const run = (p: GPUComputePipeline, g: [number, number]) => {
    pass.setPipeline(p);
    pass.dispatchWorkgroups(...g);
    k++;
  };
  if (!plan.anyLambda) run(pipes.grams, d.grams); // the imbalance needs them
  run(pipes.uStepM, d.uStep);
  run(pipes.vStepM, d.vStep);
  run(pipes.data, d.data);
  run(pipes.consensus, d.consensus);
  run(pipes.finalize, d.finalize);
  return k;
}
