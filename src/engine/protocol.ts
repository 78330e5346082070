/** Messages between the page and the engine worker. Every reply carries the run id it belongs to. */
import type { Experiment } from '../core/experiment';
import type { MethodExtras } from '../core/instance';
import type { MetricsRow } from '../core/metrics';
import type { Stop } from '../core/result';
import type { TheoryReport } from '../core/theory';
import type { Verdict } from '../core/curvature';
import type { PlaneKind } from '../core/slice';
import type { BackendPreference } from './backend';
import type { KernelChoice } from './kernels';
import type { SliceResult } from './slice-run';
import type { SweepProgress, SweepResult } from './sweep';

export type ToWorker =
  | { type: 'load'; runId: number; experiment: Experiment; backend: BackendPreference; kernels: KernelChoice; tolerance: number }
  /** run until the run stops or `pause`; speed = iterations per second, 0 = as fast as possible */
  | { type: 'play'; runId: number; speed: number }
  | { type: 'pause'; runId: number }
  /** one iteration, recorded */
  | { type: 'step'; runId: number }
  | { type: 'dispose'; runId: number }
  /** the result document (trace, stop, final iterate) of the run so far */
  | { type: 'result'; runId: number }
  /** a landscape slice through the current iterate (src/engine/slice-run.ts), on [−range, range]² at res × res */
  | { type: 'slice'; runId: number; plane: PlaneKind; range: number; res: number; seed: number };

/** Beside the per-node numbers: what a kind with its own method shows (HMF: `images` of the video demo, θ̂). */
export interface RunExtras extends MethodExtras {
  /** ‖Uʲ − Ū‖ per node at the latest iterate */
  disagreement: number[];
  /** ‖Ū‖ at the latest iterate: the scale the network view colours the disagreement against */
  average?: number;
  /** Ū Vᵀ (n×m, row-major) when the experiment shows its data as an image */
  reconstruction?: { rows: number; cols: number; data: Float32Array };
}

export type FromWorker =
  | { type: 'started'; runId: number; stepsize: number; omega: number; theory: TheoryReport | null; engine: 'cpu' | 'webgpu'; reason: string; W: number[][] | null; scale: number }
  | { type: 'rows'; runId: number; rows: MetricsRow[]; extras?: RunExtras }
  | { type: 'rewind'; runId: number; iteration: number; reason: string }
  /** the CPU engine's products and threads, once it has loaded the run (CpuEngine.detail) */
  | { type: 'engine-detail'; runId: number; detail: string }
  | { type: 'paused'; runId: number; iteration: number }
  | { type: 'stopped'; runId: number; stop: Stop; verdict?: Verdict }
  | { type: 'result'; runId: number; json: string }
  | { type: 'error'; runId: number; message: string }
  | { type: 'slice'; runId: number; result?: SliceResult; error?: string };

/** Messages between the page and the sweep worker (src/engine/sweep-worker.ts). */
/**
 * `cpuShard`: when the worker's engine is the CPU engine, it runs only that shard of the trials (the page
 * starts the other shards in more workers, one per core; src/engine/sweep.ts mergeSweeps). `part` names
 * the shard a worker's messages are about (0 without sharding).
 */
export type ToSweepWorker =
  | { type: 'sweep'; sweepId: number; experiment: Experiment; backend: BackendPreference; kernels: KernelChoice; cpuShard?: { index: number; count: number } }
  | { type: 'cancel'; sweepId: number };

export type FromSweepWorker =
  | { type: 'sweep-started'; sweepId: number; part: number; engine: 'cpu' | 'webgpu'; reason: string; runs: number; sharded: boolean }
  | { type: 'sweep-progress'; sweepId: number; part: number; progress: SweepProgress }
  | { type: 'sweep-done'; sweepId: number; part: number; result: SweepResult }
  | { type: 'sweep-error'; sweepId: number; part: number; message: string };
