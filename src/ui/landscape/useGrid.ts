/**
 * The landscape grid for the view: the float64 CPU grid by default; with a GPUDevice, the WebGPU kernel
 * (float32), falling back to the CPU grid while it runs or if it fails. Says which one it used.
 *
 * The GPU evaluator comes from src/engine (landscape-device.ts); the UI never holds a GPU handle.
 */
import { useEffect, useMemo, useState } from 'react';
import { type Grid, type GridSpec, evaluateGridCpu } from '../../core/toy';
import type { GridEvaluator } from '../../state/engines';

export interface GridResult {
  grid: Grid;
  source: 'cpu' | 'webgpu';
  note: string;
}

export function useGrid(spec: GridSpec, gpu?: GridEvaluator | null, cpuReason = ''): GridResult {
  const key = JSON.stringify(spec);
  // keyed by the spec's content, not its identity (the caller builds a new object every render)
  const cpu = useMemo(() => evaluateGridCpu(JSON.parse(key) as GridSpec), [key]);
  const [done, setDone] = useState<{ key: string; device: GridEvaluator; grid: Grid | null; error: string | null } | null>(null);

  useEffect(() => {
    if (!gpu) return;
    let live = true;
    gpu(JSON.parse(key) as GridSpec)
      .then((grid) => live && setDone({ key, device: gpu, grid, error: null }),
        (e: Error) => live && setDone({ key, device: gpu, grid: null, error: e.message }));
    return () => {
      live = false;
    };
  }, [gpu, key]);

  if (!gpu) return { grid: cpu, source: 'cpu', note: `grid: float64 on the CPU${cpuReason ? ` (no WebGPU: ${cpuReason})` : ''}` };
  if (done && done.key === key && done.device === gpu) {
    if (done.grid) return { grid: done.grid, source: 'webgpu', note: 'grid: float32 on WebGPU' };
    return { grid: cpu, source: 'cpu', note: `grid: float64 on the CPU (WebGPU failed: ${done.error})` };
  }
  return { grid: cpu, source: 'cpu', note: 'grid: float64 on the CPU (WebGPU grid pending)' };
}
