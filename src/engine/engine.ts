/** The engine seam; defined in src/core/engine-api.ts so that src/gpu and src/engine share it without importing each other. */
export { DeviceLostError, type Engine, type EngineKind, GpuUnsupportedError } from '../core/engine-api';
