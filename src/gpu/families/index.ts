/**
 * The GPU families, one entry each: how a family's engine starts, what it checks before it takes an
 * instance, and the sentence the backend (src/engine/backend.ts) gives when it runs. A problem kind names
 * its family (`gpuFamily`); adding a family is its engine file here, its WGSL file, and one entry below.
 */
import type { Instance } from '../../core/build';
import { GpuUnsupportedError } from '../../core/engine-api';
import type { GpuFamily } from '../../core/problems/registry';
import type { ShaderSources } from '../kernels';
import { type DeviceLimits, GpuLimitError } from '../layout';
import { GpuEngine } from './factor';
import { HaeGpuEngine } from './hae';
import { HmfGpuEngine, hmfGpuRefusal } from './hmf';
import { SymmetricGpuEngine } from './symmetric';

export interface FamilyOptions {
  gpu: GPU | undefined;
  shaders: ShaderSources;
  instance?: Instance;
  /** tighter limits than the device's (tests) */
  limits?: Partial<DeviceLimits>;
}

/** A started GPU engine of one family, and whether an instance fits it (null) or why not. */
export interface Started {
  engine: GpuEngine | HmfGpuEngine | HaeGpuEngine | SymmetricGpuEngine;
  misfit(inst: Instance): string | null;
  /** the sentence the backend gives when this engine runs, where it is not the family's (HAE on the hmf family) */
  reason?(name: string, chosen: string): string;
}

/** Each GPU family's engine: how it starts, and what it checks before it takes an instance. */
export interface Family {
  start(o: FamilyOptions, family: GpuFamily): Promise<Started> | string;
  /** what the CPU engine runs instead on a software adapter ('' or ' HMF') */
  runs: string;
  /** the reason given when it runs: the adapter's name and whether the software adapter was chosen */
  reason(name: string, chosen: string): string;
}

const FACTOR_REASON = (name: string, chosen: string) => `WebGPU engine (float32) on ${name}${chosen}. In float32 the curves flatten at the single-precision floor (about 1e-11 of ‖Y‖² on R3) where the float64 engine goes on to about 1e-28.`;

export const FAMILIES: Record<Exclude<GpuFamily, null>, Family> = {
  factor: { start: startFactor, runs: '', reason: FACTOR_REASON },
  measured: { start: startFactor, runs: '', reason: FACTOR_REASON },
  hmf: {
    runs: ' HMF',
    reason: (name, chosen) => `HMF WebGPU engine (float32) on ${name}${chosen}: every source in the same dispatches; the errors flatten at the single-precision floor where the float64 engine goes on.`,
    start: (o, family) => {
      // HAE (Algorithm 2 of [H]) has kernels of its own (shaders/hae.wgsl, families/hae.ts)
      if (o.instance?.experiment.algorithm.name === 'hae') return startHae(o);
      // JIVE and perPCA: the engine would refuse them (its check), so no device is started for them
      const refused = o.instance && hmfGpuRefusal(o.instance);
      if (refused) return `${refused[0].toUpperCase()}${refused.slice(1)}.`;
      return startOneShader(o, family, 'The HMF kernels', (shader) => HmfGpuEngine.create({ gpu: o.gpu, shader }));
    },
  },
  symmetric: {
    runs: ' the symmetric PSD problems',
    reason: (name, chosen) => `Symmetric PSD WebGPU engine (float32) on ${name}${chosen}: every node in the same dispatches; the errors flatten at the single-precision floor where the float64 engine goes on.`,
    start: (o, family) => startOneShader(o, family, 'The symmetric PSD kernels', (shader) => SymmetricGpuEngine.create({ gpu: o.gpu, shader, limits: o.limits })),
  },
};

/** HAE's engine on the hmf family's problems: shaders/hae.wgsl, and the engine's check() before it takes an instance. */
function startHae(o: FamilyOptions): Promise<Started> | string {
  const shader = o.shaders.hae;
  if (!shader) return 'The HAE kernels are not loaded; running on the CPU engine (float64).';
  return HaeGpuEngine.create({ gpu: o.gpu, shader, limits: o.limits }).then((engine) => ({
    engine,
    reason: (name, chosen) => `HAE WebGPU engine (float32) on ${name}${chosen}: every source's forward and backward passes in the same dispatches; its weights are float32, so its losses and RMSEs differ from the float64 engine's in the last digits.`,
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

/** A family whose engine runs one WGSL file (`shaders[family]`) and checks an instance with `check()` before it takes it. */
function startOneShader(
  o: FamilyOptions, family: GpuFamily, kernels: string, create: (shader: string) => Promise<HmfGpuEngine | SymmetricGpuEngine>,
): Promise<Started> | string {
  if (o.instance?.experiment.algorithm.perturb) return 'Perturbed gradient descent (algorithm.perturb) runs on the CPU engine (float64).';
  // (the shaders of a one-file family are keyed by the family's name)
  const shader = o.shaders[family!];
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

function startFactor(o: FamilyOptions): Promise<Started> | string {
  if (o.instance?.experiment.algorithm.perturb) return 'Perturbed gradient descent (algorithm.perturb) runs on the CPU engine (float64).';
  // the measured kernels reduce their metrics on the GPU and know no held-out entries
  if ((o.instance?.experiment.problem as { ratings?: unknown } | undefined)?.ratings) return 'Matrix completion on ratings measures its test RMSE on the CPU engine (float64).';
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
