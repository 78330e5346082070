/**
 * What every WebGPU engine does with its device: acquire it, notice its loss (device.lost or a failed
 * map → DeviceLostError), acquire a new one and upload the instance again (recover), and free it.
 */
import { DeviceLostError } from '../core/engine-api';
import { type AcquiredDevice, acquireDevice } from './device';
import type { DeviceLimits } from './layout';

export abstract class DeviceHolder<R extends { buffers: Record<string, GPUBuffer> }> {
  private dev: AcquiredDevice | null = null;
  /** the loaded instance's buffers and pipelines */
  protected res: R | null = null;
  private lostReason: string | null = null;
  private destroyed = false;

  protected constructor(
    private readonly device: { name: string; label: string; kernels: string; gpu: GPU | undefined; limits?: Partial<DeviceLimits> },
  ) {}

  get adapter(): AcquiredDevice['adapterInfo'] & { software: boolean } {
    const d = this.need();
    return { ...d.adapterInfo, software: d.software };
  }

  get limits(): DeviceLimits {
    return { ...this.need().limits, ...this.device.limits };
  }

  /** A device (throws NoAdapterError without one); its loss is remembered and reported by need(). */
  protected async acquire(): Promise<void> {
    const dev = await acquireDevice(this.device.gpu, this.device.label);
    this.dev = dev;
    this.lostReason = null;
    void dev.device.lost.then((info) => {
      if (this.dev?.device === dev.device && !this.destroyed) this.lostReason = info.message || `device lost (${info.reason})`;
    });
  }

  protected need(): AcquiredDevice {
    if (this.destroyed) throw new Error(`${this.device.name}: used after destroy()`);
    if (this.lostReason !== null) throw new DeviceLostError(this.lostReason);
    if (!this.dev) throw new Error(`${this.device.name}: no device`);
    return this.dev;
  }

  /** The first `words` f32 of a MAP_READ buffer (all of it without `words`); a failed map is a lost device. */
  protected async mapRead(buffer: GPUBuffer, what: string, words?: number): Promise<Float32Array> {
    try {
      await buffer.mapAsync(GPUMapMode.READ, 0, words === undefined ? undefined : 4 * words);
    } catch (err) {
      throw new DeviceLostError(this.lostReason ?? `${what} failed: ${(err as Error).message}`);
    }
    if (this.lostReason !== null) throw new DeviceLostError(this.lostReason);
    const out = new Float32Array(buffer.getMappedRange(0, words === undefined ? undefined : 4 * words).slice(0));
    buffer.unmap();
    return out;
  }

  /**
   * The resources `make` creates on the device, or an error carrying the device's message when it refuses
   * them (invalid kernels, buffers over a limit): a load fails instead of running invalid pipelines.
   */
  protected async validated(make: (device: GPUDevice) => R): Promise<R> {
    const device = this.need().device;
    device.pushErrorScope('validation');
    let res: R;
    try {
      res = make(device);
    } catch (err) {
      await device.popErrorScope();
      throw err;
    }
    const invalid = await device.popErrorScope();
    if (invalid) {
      for (const b of Object.values(res.buffers)) b.destroy();
      throw new Error(`${this.device.name}: the device refused the ${this.device.kernels} or buffers: ${invalid.message}`);
    }
    return res;
  }

  /** Upload the loaded instance(s) again, on the new device recover() acquired. */
  protected abstract reload(): Promise<void>;

  /** After a DeviceLostError: a new device with the same instances uploaded; then restore() a snapshot. */
  async recover(): Promise<void> {
    if (this.destroyed) throw new Error(`${this.device.name}: used after destroy()`);
    this.res = null;
    await this.acquire();
    await this.reload();
  }

  /** Test hook: lose the device the way a driver reset would (not through destroy()). */
  simulateDeviceLoss(): void {
    this.dev?.device.destroy();
  }

  protected releaseResources(): void {
    if (!this.res) return;
    for (const b of Object.values(this.res.buffers)) b.destroy();
    this.res = null;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.releaseResources();
    this.dev?.device.destroy();
    this.dev = null;
  }
}
