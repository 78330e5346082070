/**
 * Fingerprints of what a preset builds and runs, computed by the same code in Node and in every browser
 * (test/browser/fingerprint.html loads this module), so the tests can require the engines to agree bit for
 * bit: every number of the built instance (data, network, initial iterate, resolved step size, …), the
 * sweep plan's axis values, and the first 100 iterations of the CPU engine (every trace column, the final
 * iterate and the stop message).
 *
 * A fingerprint is a map from a path inside the object to a hash of its bytes, so a mismatch names the part
 * that differs. The hash is FNV-1a over the IEEE-754 bytes in two 32-bit lanes with different offsets —
 * integer arithmetic only (Math.imul), itself exact in every engine.
 */
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { planSweep } from '../../src/core/sweep';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';

export type Fingerprint = Record<string, string>;

export const TRACE_ITERATIONS = 100;
/**
 * Recorded every iteration, except HMF every 10th: its record (the errors (7.6)/(7.7) over all sources)
 * costs several rounds; the iterate after all 100 rounds is compared whole either way.
 */
const recordEvery = (kind: string) => (kind === 'hmf' ? 10 : 1);

class Hasher {
  private a = 0x811c9dc5 | 0;
  private b = 0x01000193 ^ 0x5bd1e995;
  private readonly f64 = new Float64Array(1);
  private readonly f64bytes = new Uint8Array(this.f64.buffer);

  bytes(u8: Uint8Array): void {
    let a = this.a, b = this.b;
    for (let i = 0; i < u8.length; i++) {
      a = Math.imul(a ^ u8[i], 0x01000193);
      b = Math.imul(b ^ u8[i], 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.a = a;
    this.b = b;
  }

  number(x: number): void {
    this.f64[0] = x;
    this.bytes(this.f64bytes);
  }

  string(s: string): void {
    for (let i = 0; i < s.length; i++) this.number(s.charCodeAt(i));
  }

  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** Hash every number, string and typed array reachable from `value`; one entry per leaf path (arrays of numbers hashed whole). */
export function fingerprintValue(value: unknown, path = '', out: Fingerprint = {}, seen = new WeakSet<object>()): Fingerprint {
  if (value === null || value === undefined || typeof value === 'function') return out;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    const h = new Hasher();
    if (typeof value === 'number') h.number(value);
    else h.string(String(value));
    out[path || '.'] = h.digest();
    return out;
  }
  if (typeof value !== 'object') return out;
  if (seen.has(value)) return out;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    const h = new Hasher();
    h.bytes(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    out[path || '.'] = `${h.digest()}:${value.constructor.name}[${value.byteLength}]`;
    return out;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
    const h = new Hasher();
    for (const v of value) h.number(v);
    out[path || '.'] = `${h.digest()}:number[${value.length}]`;
    return out;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]] as const);
  for (const [k, v] of entries) fingerprintValue(v, path ? `${path}.${k}` : k, out, seen);
  return out;
}

/** The instance a document builds, its sweep plan, and its first 100 iterations on the CPU engine. */
export async function fingerprintDocument(doc: unknown): Promise<Fingerprint> {
  const exp = parseExperiment(doc);
  const out: Fingerprint = {};
  const inst = buildInstance(exp);
  fingerprintValue(inst, 'instance', out);
  if (exp.sweep) fingerprintValue(planSweep(exp), 'sweep', out);
  const short = parseExperiment({
    ...(doc as Record<string, unknown>),
    sweep: undefined,
    algorithm: { ...exp.algorithm, iterations: TRACE_ITERATIONS, recordEvery: recordEvery(exp.problem.kind), curvatureEvery: exp.algorithm.curvatureEvery ? 50 : undefined },
  });
  const engine = new CpuEngine();
  const run = await runSession(engine, buildInstance(short));
  engine.destroy();
  fingerprintValue({ trace: run.trace, final: run.final, stop: run.stop, verdict: run.verdict }, 'run', out);
  // in words too, so a test can tell a run that stopped early (a preset that diverges) from one cut short
  out['run.stopped'] = `${run.stop.reason} at ${run.stop.iteration}`;
  // and which products the CPU engine ran on, so a browser that fell back to the plain path is named as such
  out['run.kernels'] = engine.kernels;
  return out;
}

/** The paths where two fingerprints differ (a path present in one only counts). */
export function fingerprintDiff(a: Fingerprint, b: Fingerprint): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}
