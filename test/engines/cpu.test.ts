import { CpuEngine } from '../../src/engine/cpu';
import { engineSuite } from './suite';

engineSuite({ name: 'CPU engine (float64)', create: async () => new CpuEngine() });
