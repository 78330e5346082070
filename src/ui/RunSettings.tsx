/** The run settings every problem's panel ends with: engine, speed and the tolerance stop (link state, not the document). */
import { setLink } from '../state/actions';
import { useLab } from '../state/store';
import { Control, NumberInput } from './Control';

/** Engine, speed and tolerance stop: the same for every problem, only the words for a step and the tolerance differ. */
export function RunSettings({ unit, tolLabel }: { unit: string; tolLabel: string }) {
  const backend = useLab((s) => s.backend);
  const kernels = useLab((s) => s.kernels);
  const speed = useLab((s) => s.speed);
  const tolerance = useLab((s) => s.tolerance);
  return (
    <fieldset>
      <legend>Run</legend>
      <Control id="engine" label="engine" help="auto: WebGPU on a hardware GPU, the float64 CPU engine otherwise.">
        {(id) => (
          <select id={id} value={backend} onChange={(e) => setLink({ backend: e.target.value as typeof backend })}>
            <option value="auto">auto</option>
            <option value="webgpu">WebGPU (float32)</option>
            <option value="cpu">CPU (float64)</option>
          </select>
        )}
      </Control>
      {backend !== 'webgpu' && (
        <Control id="kernels" label="CPU products" help="The CPU engine's float64 products: WebAssembly SIMD kernels (fast), or the plain TypeScript path they are checked against (slow; the same numbers to rounding).">
          {(id) => (
            <select id={id} value={kernels} onChange={(e) => setLink({ kernels: e.target.value as typeof kernels })}>
              <option value="wasm">WebAssembly kernels</option>
              <option value="js">plain TypeScript</option>
            </select>
          )}
        </Control>
      )}
      <Control id="speed" label={`speed (${unit}/s)`} help="0 runs as fast as the engine can.">
        {(id) => <NumberInput id={id} min={0} value={speed} onChange={(v) => setLink({ speed: v })} />}
      </Control>
      <Control id="tol" label={tolLabel} help="0 turns the tolerance stop off.">
        {(id) => <NumberInput id={id} min={0} value={tolerance} onChange={(v) => setLink({ tolerance: v })} />}
      </Control>
    </fieldset>
  );
}
