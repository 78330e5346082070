// The HMF engine suite on the float64 CPU engine itself (it must match its own reference exactly).
import { CpuEngine } from '../../src/engine/cpu';
import { hmfEngineSuite } from './hmf-suite';

hmfEngineSuite({ name: 'CPU engine (float64)', create: async () => new CpuEngine() });
