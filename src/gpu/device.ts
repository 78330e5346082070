/**
 * Device acquisition. Records the adapter's description and limits, asks for the limits this engine can
 * use (up to the adapter's), and tells software adapters apart: on a CPU emulation such as SwiftShader
 * the float64 CPU engine is faster, so the app defaults to it there (README, "Engines").
 */
import type { DeviceLimits } from './layout';

export interface AcquiredDevice {
  device: GPUDevice;
  adapterInfo: { vendor: string; architecture: string; description: string; device: string };
  /** true for a fallback / software (CPU-emulated) adapter */
  software: boolean;
  limits: DeviceLimits;
}

export class NoAdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoAdapterError';
  }
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|warp|basic render/i;

export async function acquireDevice(gpu: GPU | undefined, label = 'lowrank-lab'): Promise<AcquiredDevice> {
  if (!gpu) throw new NoAdapterError('this browser has no WebGPU (navigator.gpu is missing)');
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    throw new NoAdapterError(`requesting a WebGPU adapter failed: ${(err as Error).message}`);
  }
  if (!adapter) throw new NoAdapterError('no WebGPU adapter is available (requestAdapter returned null)');
  const info = adapter.info ?? ({} as GPUAdapterInfo);
  const adapterInfo = {
    vendor: info.vendor ?? '', architecture: info.architecture ?? '', description: info.description ?? '', device: info.device ?? '',
  };
  const text = `${adapterInfo.vendor} ${adapterInfo.architecture} ${adapterInfo.description} ${adapterInfo.device}`;
  const software = Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter) || SOFTWARE.test(text);
  const a = adapter.limits;
  const device = await adapter.requestDevice({
    label,
    requiredLimits: {
      maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
      maxBufferSize: a.maxBufferSize,
      maxComputeWorkgroupStorageSize: a.maxComputeWorkgroupStorageSize,
    },
  });
  const d = device.limits;
  return {
    device, adapterInfo, software,
    limits: {
      maxStorageBufferBindingSize: d.maxStorageBufferBindingSize,
      maxBufferSize: d.maxBufferSize,
      maxComputeWorkgroupStorageSize: d.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: d.maxComputeWorkgroupsPerDimension,
    },
  };
}
