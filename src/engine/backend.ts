/**
 * Which engine runs an experiment, and why. The WebGPU engine is preferred on a real GPU; without WebGPU,
 * when the adapter request fails, for problems it does not run (least squares) or does not fit (a device
 * limit), the float64 CPU engine runs instead and `reason` says so. On a software adapter (a CPU
 * emulation such as SwiftShader, where WGSL runs slower than plain JavaScript) `auto` also picks the CPU
 * engine; `webgpu` forces the GPU there.
 */
import type { Instance } from '../core/build';
import { NoAdapterError } from '../gpu/device';
import { GpuEngine } from '../gpu/engine';
import { type DeviceLimits, GpuLimitError } from '../gpu/layout';
import type { ShaderSources } from '../gpu/kernels';
import { CpuEngine } from './cpu';
import type { Engine } from './engine';
import { chooseHmfEngine } from './hmf-backend';

export type BackendPreference = 'auto' | 'cpu' | 'webgpu';

export interface BackendChoice {
  engine: Engine;
  /** one sentence for the UI / the CLI's stderr */
  reason: string;
  /** what the GPU adapter reported, when one was found */
  adapter?: GpuEngine['adapter'];
}

export async function chooseEngine(opts: {
  prefer: BackendPreference;
  gpu: GPU | undefined;
  shaders: ShaderSources;
  instance?: Instance;
  /** tighter limits than the device's (tests) */
  limits?: Partial<DeviceLimits>;
}): Promise<BackendChoice> {
  if (opts.prefer === 'cpu') return { engine: new CpuEngine(), reason: 'CPU engine (float64), as chosen.' };
  if (opts.instance?.hmf) return chooseHmfEngine(opts);
  if (opts.instance && opts.instance.problem.kind === 'least-squares') {
    return { engine: new CpuEngine(), reason: `The WebGPU engine runs factorization, sensing, completion, robust PCA and HMF; this ${opts.instance.problem.kind} problem runs on the CPU engine (float64).` };
  }
  if (opts.instance?.experiment.algorithm.perturb) {
    return { engine: new CpuEngine(), reason: 'Perturbed gradient descent (algorithm.perturb) runs on the CPU engine (float64).' };
  }
  let gpu: GpuEngine;
  try {
    gpu = await GpuEngine.create({ gpu: opts.gpu, shaders: opts.shaders, limits: opts.limits });
  } catch (err) {
    const why = err instanceof NoAdapterError ? err.message : `WebGPU failed to start: ${(err as Error).message}`;
    return { engine: new CpuEngine(), reason: `WebGPU is not available (${why}); running on the CPU engine (float64).` };
  }
  const adapter = gpu.adapter;
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ') || 'unnamed adapter';
  if (adapter.software && opts.prefer === 'auto') {
    gpu.destroy();
    return {
      engine: new CpuEngine(),
      adapter,
      reason: `The WebGPU adapter (${name}) is a software emulation, slower here than the float64 CPU engine, so the CPU engine runs; choose WebGPU to use it anyway.`,
    };
  }
  if (opts.instance) {
    try {
      gpu.check([opts.instance]);
    } catch (err) {
      if (!(err instanceof GpuLimitError)) throw err;
      gpu.destroy();
      return { engine: new CpuEngine(), adapter, reason: `The problem does not fit the WebGPU device, so the CPU engine (float64) runs it: ${err.message}` };
    }
  }
  return {
    engine: gpu,
    adapter,
    reason: `WebGPU engine (float32) on ${name}${adapter.software ? ' (a software adapter, chosen explicitly)' : ''}. In float32 the curves flatten at the single-precision floor (about 1e-11 of ‖Y‖² on R3) where the float64 engine goes on to about 1e-28.`,
  };
}
