/**
 * A WebGPU device for the landscape grid on the page's main thread (the grid is small: one dispatch per
 * redraw). Null without WebGPU; the landscape then evaluates on the CPU and says so.
 */
import { acquireDevice } from '../gpu/device';

let device: Promise<GPUDevice | null> | null = null;

export function landscapeDevice(): Promise<GPUDevice | null> {
  device ??= acquireDevice(typeof navigator !== 'undefined' ? navigator.gpu : undefined, 'landscape')
    .then((d) => d.device, () => null);
  return device;
}
