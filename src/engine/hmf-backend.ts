/**
 * Which engine runs an HMF experiment (SPEC §7), by the rules of backend.ts: the HMF WebGPU engine
 * (src/gpu/hmf-engine.ts) on a hardware GPU or when chosen; the float64 CPU engine without WebGPU, on a
 * software adapter under `auto`, or when the problem does not fit the GPU engine — always saying why.
 */
import type { Instance } from '../core/build';
import { NoAdapterError } from '../gpu/device';
import { GpuUnsupportedError } from '../gpu/engine';
import { HmfGpuEngine, checkHmfLimits, hmfGpuLayout } from '../gpu/hmf-engine';
import type { ShaderSources } from '../gpu/kernels';
import type { BackendChoice, BackendPreference } from './backend';
import { CpuEngine } from './cpu';

export async function chooseHmfEngine(opts: { prefer: BackendPreference; gpu: GPU | undefined; shaders: ShaderSources; instance?: Instance }): Promise<BackendChoice> {
  if (opts.prefer === 'cpu') return { engine: new CpuEngine(), reason: 'CPU engine (float64), as chosen.' };
  if (!opts.shaders.hmf) return { engine: new CpuEngine(), reason: 'The HMF kernels are not loaded; running on the CPU engine (float64).' };
  let gpu: HmfGpuEngine;
  try {
    gpu = await HmfGpuEngine.create({ gpu: opts.gpu, shader: opts.shaders.hmf });
  } catch (err) {
    const why = err instanceof NoAdapterError ? err.message : `WebGPU failed to start: ${(err as Error).message}`;
    return { engine: new CpuEngine(), reason: `WebGPU is not available (${why}); running on the CPU engine (float64).` };
  }
  const adapter = gpu.adapter;
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ') || 'unnamed adapter';
  if (opts.instance?.hmf) {
    try {
      checkHmfLimits(hmfGpuLayout(opts.instance.hmf), gpu.limits);
    } catch (err) {
      if (!(err instanceof GpuUnsupportedError)) throw err;
      gpu.destroy();
      return { engine: new CpuEngine(), adapter, reason: `${err.message}; running on the CPU engine (float64).` };
    }
  }
  if (adapter.software && opts.prefer === 'auto') {
    gpu.destroy();
    return { engine: new CpuEngine(), adapter, reason: `The WebGPU adapter (${name}) is a software emulation, slower here than the float64 CPU engine, so the CPU engine runs HMF; choose WebGPU to use it anyway.` };
  }
  return {
    engine: gpu, adapter,
    reason: `HMF WebGPU engine (float32) on ${name}${adapter.software ? ' (a software adapter, chosen explicitly)' : ''}: every source in the same dispatches; the errors flatten at the single-precision floor where the float64 engine goes on.`,
  };
}
