/**
 * Which engine runs an experiment, and why. The WebGPU engine of the problem kind's GPU family is
 * preferred on a real GPU; without WebGPU, when the adapter request fails, for kinds no GPU family runs
 * (least squares), for options the GPU engines do not have (perturbed GD) or for problems that do not fit
 * (a device limit), the float64 CPU engine runs instead and `reason` says so. On a software adapter (a CPU
 * emulation such as SwiftShader, where WGSL runs slower than plain JavaScript) `auto` also picks the CPU
 * engine; `webgpu` forces the GPU there.
 */
import type { Instance } from '../core/build';
import { KINDS, kindOf } from '../core/problems/registry';
import { NoAdapterError } from '../gpu/device';
import { FAMILIES, type Started } from '../gpu/families';
import type { GpuEngine } from '../gpu/families/factor';
import type { DeviceLimits } from '../gpu/layout';
import type { ShaderSources } from '../gpu/kernels';
import { CpuEngine } from './cpu';
import type { Engine } from './engine';

export type BackendPreference = 'auto' | 'cpu' | 'webgpu';

export interface BackendChoice {
  engine: Engine;
  /** one sentence for the UI / the CLI's stderr */
  reason: string;
  /** what the GPU adapter reported, when one was found */
  adapter?: GpuEngine['adapter'];
}

interface Options {
  prefer: BackendPreference;
  gpu: GPU | undefined;
  shaders: ShaderSources;
  instance?: Instance;
  /** tighter limits than the device's (tests) */
  limits?: Partial<DeviceLimits>;
}

const cpu = (reason: string, adapter?: GpuEngine['adapter']): BackendChoice => ({ engine: new CpuEngine(), reason, adapter });
const listAnd = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

export async function chooseEngine(opts: Options): Promise<BackendChoice> {
  if (opts.prefer === 'cpu') return cpu('CPU engine (float64), as chosen.');
  const kind = opts.instance ? kindOf(opts.instance.experiment.problem.kind)! : undefined;
  const family = kind ? kind.gpuFamily : 'factor';
  if (family === null) {
    const onGpu = KINDS.filter((k) => k.gpuFamily !== null).map((k) => k.label);
    return cpu(`The WebGPU engine runs ${listAnd(onGpu)}; this ${kind!.kind} problem runs on the CPU engine (float64).`);
  }
  const { start, runs, reason } = FAMILIES[family];
  let started: Started;
  try {
    const s = start(opts, family);
    if (typeof s === 'string') return cpu(s);
    started = await s;
  } catch (err) {
    // one sentence, its cause after a colon (never nested in parentheses)
    const why = err instanceof NoAdapterError ? err.message : `WebGPU failed to start: ${(err as Error).message}`;
    return cpu(`No WebGPU: ${why}. Running on the CPU engine (float64).`);
  }
  const gpu = started.engine;
  const adapter = gpu.adapter;
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ') || 'unnamed adapter';
  if (adapter.software && opts.prefer === 'auto') {
    gpu.destroy();
    return cpu(`The WebGPU adapter (${name}) is a software emulation, slower here than the float64 CPU engine, so the CPU engine runs${runs}; choose WebGPU to use it anyway.`, adapter);
  }
  const misfit = opts.instance && started.misfit(opts.instance);
  if (misfit) {
    gpu.destroy();
    return cpu(misfit, adapter);
  }
  const chosen = adapter.software ? ' (a software adapter, chosen explicitly)' : '';
  return {
    engine: gpu,
    adapter,
    reason: started.reason ? started.reason(name, chosen) : reason(name, chosen),
  };
}
