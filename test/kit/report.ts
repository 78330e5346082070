/**
 * The GPU kit's report: gpu-report.json (everything the parts wrote, the WebGPU engine beside the PyTorch
 * peer per size, and the issue's targets with how far each is) and gpu-report.md (the same as tables).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fmt = (x: unknown, d = 3): string => {
  if (typeof x !== 'number') return x === undefined || x === null ? '—' : String(x);
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(d);
};

export interface Target { target: string; value: string; met: boolean | null }

export function buildReport(parts: { env: Json | null; parity: Json | null; bench: Json | null; peer: Json | null }): Json {
  const { env, parity, bench, peer } = parts;
  const factor: Json[] = bench?.factor ?? [];
  const peerBench: Json[] = peer?.bench ?? [];
  const side = factor.map((f) => {
    const p = peerBench.find((b) => b.size === f.size);
    const eager = p?.eager?.itPerSec, graph = p?.graph?.itPerSec;
    return {
      size: f.size, J: f.J, n: f.n, mj: f.mj, r: f.r, webgpu: f.itPerSec ?? null, torchEager: eager ?? null, torchGraph: graph ?? null,
      webgpuOverEager: f.itPerSec && eager ? f.itPerSec / eager : null, webgpuOverGraph: f.itPerSec && graph ? f.itPerSec / graph : null,
    };
  });
  const L = factor.find((f) => f.size === 'L');
  const sweepS = Array.isArray(bench?.sweep) ? bench.sweep.find((s: Json) => s.size === 'S') : undefined;
  const targets: Target[] = [
    { target: 'the parity suite passes on the adapter', value: parity ? `${parity.cases?.filter((c: Json) => c.pass).length}/${parity.cases?.length} cases, vacuity ${parity.vacuity?.filter((c: Json) => c.pass).length}/${parity.vacuity?.length}, snapshot ${parity.snapshot?.pass ? 'ok' : 'failed'}` : 'not run', met: parity ? Boolean(parity.passed) : null },
    { target: 'DGD+LOCAL at L ≥ 2 000 it/s', value: L?.itPerSec ? `${fmt(L.itPerSec)} it/s` : 'not measured', met: L?.itPerSec ? L.itPerSec >= 2000 : null },
    { target: 'DGD+LOCAL at L ≥ 50 % of the memory roofline', value: L?.rooflinePercent ? `${fmt(L.rooflinePercent)} % (${fmt(L.bytesPerIteration / 2 ** 20)} MiB/it at ${fmt(L.bandwidth / 1e9)} GB/s; copy ${fmt(bench?.ceilings?.copy / 1e9)} GB/s)` : 'not measured', met: L?.rooflinePercent ? L.rooflinePercent >= 50 : null },
    ...['S', 'M', 'L'].map((s): Target => {
      const row = side.find((x) => x.size === s);
      return { target: `WebGPU engine ≥ PyTorch eager at ${s}`, value: row?.webgpuOverEager ? `${fmt(row.webgpuOverEager)}× (${fmt(row.webgpu)} vs ${fmt(row.torchEager)} it/s)` : peer?.skipped ? `peer skipped: ${peer.skipped}` : 'not measured', met: row?.webgpuOverEager ? row.webgpuOverEager >= 1 : null };
    }),
    { target: 'the batched sweep ≥ 10× one after another at S', value: sweepS ? `${fmt(sweepS.batched / sweepS.oneByOne)}× (${fmt(sweepS.batched)} vs ${fmt(sweepS.oneByOne)} runs/s; bound ${fmt(sweepS.bound)}×)` : 'not measured', met: sweepS ? sweepS.batched / sweepS.oneByOne >= 10 : null },
  ];
  return { format: 'lowrank-lab/gpu-report', version: 1, env, adapter: bench?.adapter ?? parity?.adapter ?? null, parity, bench, peer, sideBySide: side, targets };
}

export function reportMarkdown(r: Json): string {
  const out: string[] = [];
  const a = r.adapter ?? {};
  const env = r.env ?? {};
  out.push('# Low-Rank Lab on a GPU: kit report', '');
  out.push(`- date: ${env.date ?? '—'}; mode: ${env.quick ? 'quick (toy sizes)' : 'full'}`);
  out.push(`- adapter: ${[a.vendor, a.architecture, a.description, a.device].filter(Boolean).join(' · ') || '—'}${a.software ? ' (software)' : ''}; Vulkan driver file: ${env.icd ?? '—'}`);
  if (env.gpu) out.push(`- GPU (nvidia-smi): ${env.gpu}`);
  if (a.driver) out.push(`- driver: ${a.driver}`);
  if (a.limits) out.push(`- limits: ${Object.entries(a.limits).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out.push(`- Node ${env.node ?? '—'}; parts: ${(env.parts ?? []).map((p: Json) => `${p.name} rc ${p.rc} in ${p.seconds} s`).join(', ')}`, '');
  out.push('## Targets', '', '| target | measured | met |', '|---|---|---|');
  for (const t of r.targets as Target[]) out.push(`| ${t.target} | ${t.value} | ${t.met === null ? '—' : t.met ? 'yes' : 'no'} |`);
  const p = r.parity;
  out.push('', '## Parity (the engine suite\'s cases against the float64 reference)', '');
  if (!p) out.push('not run');
  else {
    out.push(`${p.passed ? 'PASSED' : 'FAILED'} in ${fmt(p.seconds)} s`, '', '| case | worst error ÷ tolerance | pass |', '|---|---|---|');
    for (const c of [...(p.cases ?? []), ...(p.vacuity ?? [])]) out.push(`| ${c.name} | ${fmt(c.worst)} | ${c.pass ? 'yes' : `no: ${c.where}`} |`);
    out.push(`| snapshot and restore replay exactly | — | ${p.snapshot?.pass ? 'yes' : `no: ${p.snapshot?.detail}`} |`);
  }
  const b = r.bench;
  out.push('', '## Benchmark', '');
  if (!b) out.push('not run');
  else {
    const c = b.ceilings ?? {};
    out.push(`Ceilings on this adapter: copy ${fmt(c.copy / 1e9)} GB/s (read + written; compute-shader copy ${fmt(c.copyKernel / 1e9)}, copyBufferToBuffer ${fmt(c.copyBuffer / 1e9)}), pure FMA ${fmt(c.fma)} GFLOP/s, 1024³ matmul ${fmt(c.matmul)} GFLOP/s (workgroup tiles ${fmt(c.matmulShared)}, registers ${fmt(c.matmulRegisters)}).`, '');
    out.push(`TF.js: ${b.tfjs?.version ? `${b.tfjs.version} (${b.tfjs.backend})` : b.tfjs?.error ?? '—'}.`, '');
    out.push('| size | J, n, mⱼ, r | WebGPU it/s | TF.js-WebGPU it/s | PyTorch eager it/s | PyTorch CUDA graph it/s | WebGPU ÷ eager | GFLOP/s | MiB per iteration | GB/s | % of copy roofline |', '|---|---|---|---|---|---|---|---|---|---|---|');
    for (const f of b.factor ?? []) {
      const s = (r.sideBySide as Json[]).find((x) => x.size === f.size) ?? {};
      if (f.error) out.push(`| ${f.size} | ${f.J}, ${f.n}, ${f.mj}, ${f.r} | ${f.error} | | | | | | | | |`);
      else out.push(`| ${f.size} | ${f.J}, ${f.n}, ${f.mj}, ${f.r} | ${fmt(f.itPerSec)} | ${fmt(f.tfjs)} | ${fmt(s.torchEager)} | ${fmt(s.torchGraph)} | ${s.webgpuOverEager ? `${fmt(s.webgpuOverEager)}×` : '—'} | ${fmt(f.gflops)} | ${fmt(f.bytesPerIteration / 2 ** 20)} | ${fmt(f.bandwidth / 1e9)} | ${fmt(f.rooflinePercent)} % |${f.note ? ` ${f.note}` : ''}`);
    }
    out.push('', 'Where the time goes: each kernel of the iteration alone (iterations per second if the iteration were only that kernel):', '', '| size | grams | factor_step | v_update | all three |', '|---|---|---|---|---|');
    for (const f of b.factor ?? []) if (f.perKernel) out.push(`| ${f.size} | ${fmt(f.perKernel.grams)} | ${fmt(f.perKernel.step)} | ${fmt(f.perKernel.vUpdate)} | ${fmt(f.itPerSec)} |`);
    out.push('', '| problem | J, n, mⱼ, r | WebGPU it/s |', '|---|---|---|');
    for (const m of b.measured ?? []) out.push(`| ${m.problem} | ${m.J}, ${m.n}, ${m.mj}, ${m.r} | ${m.error ?? fmt(m.itPerSec)} |`);
    out.push('', '| HMF preset | N, n₁, r₁, r₂ | WebGPU rounds/s |', '|---|---|---|');
    for (const h of b.hmf ?? []) out.push(`| ${h.preset} | ${h.N}, ${h.n1}, ${h.r1}, ${h.r2} | ${h.error ?? fmt(h.roundsPerSec)} |`);
    if (Array.isArray(b.sweep)) {
      out.push('', 'Sweep, 32 × 32 cells × 4 seeds, K = 10 (runs per second):', '', '| size | batched | one after another | ratio | a fresh engine per run | bound on the ratio |', '|---|---|---|---|---|---|');
      for (const s of b.sweep) out.push(`| ${s.size} (J ${s.J}, n ${s.n}, mⱼ ${s.mj}, r ${s.r}) | ${fmt(s.batched)} (B = ${s.B}) | ${fmt(s.oneByOne)} (N = ${s.N}) | ${fmt(s.batched / s.oneByOne)}× | ${fmt(s.fresh)} | ${fmt(s.bound)}× |`);
    } else if (b.sweep) out.push('', `Sweep: ${b.sweep.error}`);
    const k = b.counters;
    if (k) out.push('', `Counters (K = ${k.K}): hot loop ${fmt(k.hotLoop.dispatchesPerIteration)} dispatches and ${fmt(k.hotLoop.yPassesPerIteration)} passes over Y per iteration, ${fmt(k.hotLoop.iterationsPerSubmit)} iterations per submit, ${k.hotLoop.readbacks} readbacks; a recorded run (every ${k.recordEvery}) ${fmt(k.recordedRun.dispatchesPerIteration)} dispatches and ${fmt(k.recordedRun.yPassesPerIteration)} passes over Y per iteration, ${k.recordedRun.readbacks} readbacks.`);
  }
  const q = r.peer;
  out.push('', '## PyTorch peer (float32, same GPU, same instances)', '');
  if (!q) out.push('not run');
  else if (q.skipped) {
    out.push(`skipped: ${q.skipped}`);
    if (q.numpyCheck) {
      out.push('', `The peer's iteration in NumPy float32 on the CPU, against the same checks: ${q.numpyCheck.passed ? 'PASSED' : 'FAILED'}.`, '', '| case | worst error ÷ tolerance | pass |', '|---|---|---|');
      for (const c of q.numpyCheck.cases ?? []) out.push(`| ${c.name} | ${fmt(c.worst)} | ${c.pass ? 'yes' : `no: ${c.where}`} |`);
    }
  }
  else {
    out.push(`torch ${q.torch} on ${q.device}; TF32 off. Trace checks against the float64 reference with the WebGPU engine's tolerances: ${q.parity?.passed ? 'PASSED' : 'FAILED'}.`, '');
    out.push('| case | worst error ÷ tolerance | pass |', '|---|---|---|');
    for (const c of q.parity?.cases ?? []) out.push(`| ${c.name} | ${fmt(c.worst)} | ${c.pass ? 'yes' : `no: ${c.where}`} |`);
    if (q.copy) out.push('', `PyTorch device-to-device copy: ${fmt(q.copy / 1e9)} GB/s (read + written).`);
  }
  return out.join('\n') + '\n';
}

export function writeReport(outDir: string, read: (file: string) => Json | null): void {
  const r = buildReport({ env: read('env.json'), parity: read('parity.json'), bench: read('bench.json'), peer: read('peer.json') });
  writeFileSync(join(outDir, 'gpu-report.json'), JSON.stringify(r, null, 1));
  writeFileSync(join(outDir, 'gpu-report.md'), reportMarkdown(r));
  console.log(reportMarkdown(r));
}
