/**
 * Buffer layout of the factorization kernels (shaders/common.wgsl), computed without a device so it can
 * be tested anywhere. One source of truth for every offset: the WGSL reads the same numbers from
 * `Params` and the slot tables this module writes.
 *
 * A batch is T trials of the same sizes (n, r, the partition m₁ … m_J); trial t's node j is slot
 * s = t·J + j. Each trial may have its own data, network and step size; trials given the same data
 * share one copy of it in the Y buffer.
 */
import type { Mat } from '../core/linalg';

/** The tile and slot sizes of shaders/common.wgsl (test/unit/wgsl-constants checks every constant both sides share). */
export const TB = 32, TC = 32, CB = 64, SLOT_WORDS = 12, OUT_WORDS = 8;

/** The kernels work on vec4s along the rank: r is padded with zero columns to a multiple of 4. */
export const padRank = (r: number) => 4 * Math.ceil(r / 4);
export const PARAMS_WORDS = 16;
/** The words of a slot (F_… in shaders/common.wgsl). */
export const F = { YOFF: 0, M: 1, VROW: 2, NBR0: 3, NNBR: 4, TRIAL: 5, PROW: 6, COLOFF: 7, MU: 8, LAMBDA: 9 } as const;

export interface TrialSpec {
  /** Y₁ … Y_J (n×mⱼ, row-major); trials holding the same array object share it on the device */
  blocks: Mat[];
  W: Mat;
  mu: number;
  /** balancing weight λ of (λ/4)‖UˢᵀUˢ − VₛᵀVₛ‖² per node (SPEC §5.4); 0 or absent: off */
  lambda?: number;
}

export interface BatchSpec {
  n: number;
  r: number;
  partition: number[];
  /** classical DGD: every node holds and mixes a full copy of V */
  classical: boolean;
  trials: TrialSpec[];
}

export interface Layout {
  n: number;
  r: number;
  /** r padded to a multiple of 4: the row stride of U, V and P, and the kernels' R */
  rp: number;
  J: number;
  T: number;
  S: number;
  m: number;
  partition: number[];
  offsets: number[];
  classical: boolean;
  nRB: number;
  nCB: number;
  nRBV: number;
  mCopy: number;
  /** distinct data sets in the Y buffer, and which one each trial uses */
  yIndex: number[];
  distinctY: number;
  /** f32 words */
  words: { Y: number; U: number; V: number; P: number; tables: number; scratch: number };
  scratch: { gramOff: number; partAOff: number; partBOff: number; partCOff: number; partVOff: number; outOff: number };
  nbrBase: number;
  edges: number;
  /** workgroup counts of each dispatch */
  dispatch: {
    grams: [number, number]; step: [number, number]; vUpdate: [number, number];
    consensusU: [number, number]; consensusV: [number, number]; finalize: [number, number];
  };
  /** bytes of workgroup memory the largest kernel (factor_step) declares */
  workgroupBytes: number;
}

const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

export function computeLayout(spec: BatchSpec): Layout {
  const { n, r, partition, classical, trials } = spec;
  const rp = padRank(r);
  const J = partition.length, T = trials.length, S = J * T;
  if (T < 1) throw new RangeError('a batch needs at least one trial');
  const m = partition.reduce((a, b) => a + b, 0);
  const offsets: number[] = [];
  partition.reduce((o, mj) => (offsets.push(o), o + mj), 0);
  const ySeen = new Map<Mat[], number>();
  const yIndex = trials.map((t) => {
    if (t.blocks.length !== J) throw new RangeError(`a trial has ${t.blocks.length} blocks, the partition ${J}`);
    if (!ySeen.has(t.blocks)) ySeen.set(t.blocks, ySeen.size);
    return ySeen.get(t.blocks)!;
  });
  const nRB = ceilDiv(n, TB);
  const mCopy = classical ? m : 0;
  const nCB = ceilDiv(classical ? m : Math.max(...partition), CB);
  const nRBV = classical ? ceilDiv(m, TB) : 0;
  const edges = trials.reduce((e, t) => e + t.W.data.reduce((c, w) => c + (w !== 0 ? 1 : 0), 0), 0);
  const nbrBase = S * SLOT_WORDS;
  const gramOff = 0;
  const partAOff = gramOff + S * 2 * rp * rp;
  const partBOff = partAOff + S * nRB * 4;
  const partCOff = partBOff + S * nCB * 2;
  const partVOff = partCOff + T * nRB * (1 + rp * rp);
  const outOff = partVOff + T * nRBV * (1 + rp * rp);
  const scratchWords = outOff + T * OUT_WORDS;
  return {
    n, r, rp, J, T, S, m, partition: partition.slice(), offsets, classical, nRB, nCB, nRBV, mCopy, yIndex,
    distinctY: ySeen.size,
    words: {
      Y: ySeen.size * n * m,
      U: S * n * rp,
      V: (classical ? S : T) * m * rp,
      P: nRB * T * m * rp,
      tables: nbrBase + 2 * edges,
      scratch: scratchWords,
    },
    scratch: { gramOff, partAOff, partBOff, partCOff, partVOff, outOff },
    nbrBase,
    edges,
    dispatch: {
      grams: [S, 1], step: [nRB, S], vUpdate: [nCB, S],
      consensusU: [nRB, T], consensusV: [Math.max(nRBV, 1), T], finalize: [T, 1],
    },
    workgroupBytes: 4 * (TB * rp + TB * (TC + 1) + TC * rp + 1 + 3 * TB),
  };
}

/**
 * Bytes one factorization iteration must move between the kernels and memory, counting each kernel's
 * distinct reads and writes once (what a perfect cache within a dispatch leaves): grams reads U and V;
 * factor_step reads Y, U (its own rows and its neighbours') and V, writes U and the partials P;
 * v_update reads P and V and writes V. The Grams and tables are negligible and left out. With the
 * copy bandwidth of the same device this gives the memory roofline of the hot loop (`npm run bench`,
 * the GPU kit).
 */
export function iterationBytes(L: Layout): number {
  const w = L.words;
  return 4 * (w.Y + 3 * w.U + 4 * w.V + 2 * w.P);
}

/** The Params uniform (shaders/common.wgsl), 16 u32 words. */
export function paramsWords(L: Layout): Uint32Array {
  const s = L.scratch;
  return Uint32Array.from([L.n, L.S, L.J, L.T, L.nRB, L.nCB, L.mCopy, L.nRBV, L.nbrBase,
    s.gramOff, s.partAOff, s.partBOff, s.partCOff, s.partVOff, s.outOff, 0]);
}

/** Slot records and neighbour lists. Neighbour weights are the nonzero entries of row j of W̃ (self included). */
export function buildTables(L: Layout, trials: TrialSpec[]): Uint32Array {
  const words = new Uint32Array(L.words.tables);
  const f32 = new Float32Array(words.buffer);
  let e = 0;
  for (let t = 0; t < L.T; t++) {
    const { W, mu } = trials[t];
    for (let j = 0; j < L.J; j++) {
      const s = t * L.J + j;
      const rec = s * SLOT_WORDS;
      const mj = L.partition[j];
      words[rec + F.YOFF] = L.yIndex[t] * L.n * L.m + L.n * L.offsets[j];
      words[rec + F.M] = mj;
      words[rec + F.VROW] = L.classical ? s * L.m + L.offsets[j] : t * L.m + L.offsets[j];
      words[rec + F.NBR0] = e;
      words[rec + F.TRIAL] = t;
      words[rec + F.PROW] = L.nRB * (t * L.m + L.offsets[j]);
      words[rec + F.COLOFF] = L.classical ? L.offsets[j] : 0;
      f32[rec + F.MU] = mu;
      f32[rec + F.LAMBDA] = trials[t].lambda ?? 0;
      for (let i = 0; i < L.J; i++) {
        const w = W.data[j * L.J + i];
        if (w === 0) continue;
        words[L.nbrBase + 2 * e] = t * L.J + i;
        f32[L.nbrBase + 2 * e + 1] = w;
        e++;
      }
      words[rec + F.NNBR] = e - words[rec + F.NBR0];
    }
  }
  return words;
}

/** The limits this engine depends on (a subset of GPUSupportedLimits). */
export interface DeviceLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

export class GpuLimitError extends Error {
  constructor(readonly limit: string, message: string) {
    super(message);
    this.name = 'GpuLimitError';
  }
}

const MiB = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/**
 * Refuse a batch the device cannot hold, naming the limit and the largest size that fits (the dimension
 * that dominates the offending buffer, the others held fixed).
 */
export function checkLimits(L: Layout, lim: DeviceLimits): void {
  const cap = Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize);
  const capName = lim.maxStorageBufferBindingSize <= lim.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
  const what = (name: keyof Layout['words']) => 4 * L.words[name];
  const fits = (perUnit: number) => Math.floor(cap / (4 * perUnit));
  const checks: [keyof Layout['words'], string, () => string][] = [
    ['Y', 'Y needs', () => `the largest m that fits at n = ${L.n}${L.distinctY > 1 ? ` with ${L.distinctY} data sets` : ''} is ${fits(L.n * L.distinctY)}`],
    ['U', 'the U copies need', () => `the largest number of nodes × trials that fits at n = ${L.n}, r = ${L.r} is ${fits(L.n * L.rp)}`],
    ['V', 'the V factors need', () => `the largest m that fits at r = ${L.r} is ${fits(L.rp * (L.classical ? L.S : L.T))}`],
    ['P', 'the partial products YᵀU need', () => `the largest m that fits at n = ${L.n}, r = ${L.r} is ${fits(L.nRB * L.T * L.rp)}`],
    ['scratch', 'the metric scratch buffer needs', () => `use fewer nodes or trials`],
  ];
  for (const [key, label, hint] of checks) {
    if (what(key) > cap) {
      throw new GpuLimitError(capName, `${label} ${MiB(what(key))}, more than the device's ${capName} of ${MiB(cap)}; ${hint()}.`);
    }
  }
  if (L.workgroupBytes > lim.maxComputeWorkgroupStorageSize) {
    const maxR = 4 * Math.floor((lim.maxComputeWorkgroupStorageSize / 4 - TB * (TC + 1) - 1 - 3 * TB) / (TB + TC) / 4);
    throw new GpuLimitError('maxComputeWorkgroupStorageSize', `rank r = ${L.r} needs ${L.workgroupBytes} bytes of workgroup memory, more than the device's maxComputeWorkgroupStorageSize of ${lim.maxComputeWorkgroupStorageSize}; the largest rank that fits is ${maxR}.`);
  }
  const maxDim = Math.max(L.S, L.nRB, L.nCB, L.T);
  if (maxDim > lim.maxComputeWorkgroupsPerDimension) {
    throw new GpuLimitError('maxComputeWorkgroupsPerDimension', `a dispatch needs ${maxDim} workgroups in one dimension, more than the device's maxComputeWorkgroupsPerDimension of ${lim.maxComputeWorkgroupsPerDimension}; the largest number of nodes × trials that fits is ${lim.maxComputeWorkgroupsPerDimension}.`);
  }
}
