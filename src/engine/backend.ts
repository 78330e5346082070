/**
 * Which engine runs an experiment, and why. The WebGPU engine of the problem kind's GPU family is
 * preferred on a real GPU; without WebGPU, when the adapter request fails, for kinds no GPU family runs
 * (least squares), for options the GPU engines do not have (perturbed GD) or for problems that do not fit
 * (a device limit), the float64 CPU engine runs instead and `reason` says so. On a software adapter (a CPU
 * emulation such as SwiftShader, where WGSL runs slower than plain JavaScript) `auto` also picks the CPU
 * engine; `webgpu` forces the GPU there.
 */
import type { Instance } from '../core/build';
import { GpuUnsupportedError } from '../core/engine-api';
import { type GpuFamily, KINDS, kindOf } from '../core/problems/registry';
import { NoAdapterError } from '../gpu/device';
import { GpuEngine } from '../gpu/families/factor';
import { SymmetricGpuEngine } from '../gpu/families/symmetric';
import { HmfGpuEngine } from '../gpu/families/hmf';
import { type DeviceLimits, GpuLimitError } from '../gpu/layout';
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

/** A started GPU engine of one family, and whether an instance fits it (null) or why not. */
interface Started { engine: GpuEngine | HmfGpuEngine | SymmetricGpuEngine; misfit(inst: Instance): string | null }

/** Each GPU family's engine: how it starts, and what it checks before it takes an instance. */
interface Family {
  start(o: Options, family: GpuFamily): Promise<Started> | string;
  /** what the CPU engine runs instead on a software adapter ('' or ' HMF') */
  runs: string;
  /** the reason given when it runs: the adapter's name and whether the software adapter was chosen */
  reason(name: string, chosen: string): string;
}

const FACTOR_REASON = (name: string, chosen: string) => `WebGPU engine (float32) on ${name}${chosen}. In float32 the curves flatten at the single-precision floor (about 1e-11 of ‖Y‖² on R3) where the float64 engine goes on to about 1e-28.`;

const FAMILIES: Record<Exclude<GpuFamily, null>, Family> = {
  factor: { start: startFactor, runs: '', reason: FACTOR_REASON },
  measured: { start: startFactor, runs: '', reason: FACTOR_REASON },
  hmf: {
    runs: ' HMF',
    reason: (name, chosen) => `HMF WebGPU engine (float32) on ${name}${chosen}: every source in the same dispatches; the errors flatten at the single-precision floor where the float64 engine goes on.`,
    start: (o, family) => startOneShader(o, family, 'The HMF kernels', (shader) => HmfGpuEngine.create({ gpu: o.gpu, shader })),
  },
  symmetric: {
    runs: ' the symmetric PSD problems',
    reason: (name, chosen) => `Symmetric PSD WebGPU engine (float32) on ${name}${chosen}: every node in the same dispatches; the errors flatten at the single-precision floor where the float64 engine goes on.`,
    start: (o, family) => startOneShader(o, family, 'The symmetric PSD kernels', (shader) => SymmetricGpuEngine.create({ gpu: o.gpu, shader, limits: o.limits })),
  },
};

/** A family whose engine runs one WGSL file (`shaders[family]`) and checks an instance with `check()` before it takes it. */
function startOneShader(
  o: Options, family: GpuFamily, kernels: string, create: (shader: string) => Promise<HmfGpuEngine | SymmetricGpuEngine>,
): Promise<Started> | string {
  if (o.instance?.experiment.algorithm.perturb) return 'Perturbed gradient descent (algorithm.perturb) runs on the CPU engine (float64).';
  // (the shaders of a one-file family are keyed by the family's name)
  const shader = o.shaders[family as Extract<keyof ShaderSources, GpuFamily>];
  if (!shader) return `${kernels} are not loaded; running on the CPU engine (float64).`;
  return create(shader).then((engine) => ({
    engine,
    misfit(inst) {
      try {
        engine.check(inst);
        return null;
      } catch (err) {
        if (!(err instanceof GpuUnsupportedError)) throw err;
        return `${err.message}; running on the CPU engine (float64).`;
      }
    },
  }));
}

function startFactor(o: Options): Promise<Started> | string {
  if (o.instance?.experiment.algorithm.perturb) return 'Perturbed gradient descent (algorithm.perturb) runs on the CPU engine (float64).';
  return GpuEngine.create({ gpu: o.gpu, shaders: o.shaders, limits: o.limits }).then((engine) => ({
    engine,
    misfit(inst) {
      try {
        engine.check([inst]);
        return null;
      } catch (err) {
        if (!(err instanceof GpuLimitError)) throw err;
        return `The problem does not fit the WebGPU device, so the CPU engine (float64) runs it: ${err.message}`;
      }
    },
  }));
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
    const why = err instanceof NoAdapterError ? err.message : `WebGPU failed to start: ${(err as Error).message}`;
    return cpu(`WebGPU is not available (${why}); running on the CPU engine (float64).`);
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
    reason: reason(name, chosen),
  };
}
