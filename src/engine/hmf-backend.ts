/**
 * Which engine runs an HMF experiment (SPEC §7). The float64 CPU engine for now; see backend.ts for the
 * rules the factorization engines follow.
 */
import type { Instance } from '../core/build';
import type { ShaderSources } from '../gpu/kernels';
import type { BackendChoice, BackendPreference } from './backend';
import { CpuEngine } from './cpu';

export async function chooseHmfEngine(opts: { prefer: BackendPreference; gpu: GPU | undefined; shaders: ShaderSources; instance?: Instance }): Promise<BackendChoice> {
  void opts;
  return { engine: new CpuEngine(), reason: 'HMF runs on the CPU engine (float64).' };
}
