/**
 * The seam every engine implements (ARCHITECTURE.md). The Session, the CLI, the worker and the tests
 * drive engines only through it, so one test suite runs against all of them. It lives in core, below both
 * the engines (src/gpu) and their drivers (src/engine), so neither imports the other for it.
 */
import type { State } from './dgd';
import { type Instance, type NodeInstance, isNodeInstance } from './instance';
import type { MetricsRow } from './metrics';

export type EngineKind = 'cpu' | 'webgpu';

export interface Engine {
  readonly kind: EngineKind;
  /** Upload the instance and its initial iterate; the data stays resident. */
  load(instance: Instance): Promise<void>;
  /** Advance by `iterations` steps without reading anything back. */
  advance(iterations: number): Promise<void>;
  /** The metrics at the current iterate (one small readback on a GPU). */
  metrics(): Promise<MetricsRow>;
  /** The full current iterate (export, resume after device loss). */
  snapshot(): Promise<{ state: State; iteration: number }>;
  restore(state: State, iteration: number): Promise<void>;
  /** After a DeviceLostError: get a new device and upload the instance again (GPU engines only). */
  recover?(): Promise<void>;
  destroy(): void;
}

/** Thrown by an engine whose device was lost; the session recovers and resumes from its last snapshot. */
export class DeviceLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceLostError';
  }
}

/** Thrown when a problem does not fit a GPU engine (a device limit, an unsupported option); the backend falls back to the CPU. */
export class GpuUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuUnsupportedError';
  }
}

/** The node instance an engine of DGD+LOCAL needs; an instance of a kind with its own method is refused. */
export function nodeInstance(inst: Instance, engine: string): NodeInstance {
  if (!isNodeInstance(inst)) throw new GpuUnsupportedError(`${engine} runs DGD+LOCAL on node objectives; this ${inst.problem.kind} problem has its own method`);
  return inst;
}
