/**
 * The headless runner. `run` and `validate` read an experiment document; `materialize` writes the same
 * experiment with every generated array made explicit (Y or A/b, W, the initial iterate), so a run can be
 * reproduced by any tool that reads the format. User errors exit with status 2 and one line naming the
 * field; no stack traces for those.
 */
import { constants as bufferConstants } from 'node:buffer';
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildInstance, isNodeInstance, kindOfProblem } from '../core/build';
import { materialize } from '../core/materialize';
import { type Budget, type Cost, VALIDATE_BUILD_FLOPS, checkBudget, checkOutput, checkSweepBudget, cliBudget, describeCost, formatFlops, parseSize } from '../core/budget';
import { DocumentError, type Experiment, parseExperiment } from '../core/experiment';
import { isNodeKind, kindOf } from '../core/problems/registry';
import { oneLine, parseJsonFile } from '../core/json-file';
import { resultToJson } from '../core/result';
import { topIndices } from '../core/stocks';
import { type SweepPlan, aggregate, planSweep, sweepCsv } from '../core/sweep';
import { PartError, mergeParts, parsePart, parseShard } from '../core/sweep-parts';
import { theoryReport } from '../core/theory';
import { type BackendPreference, chooseEngine } from '../engine/backend';
import type { ShaderSources } from '../gpu/kernels';
import { nodeGpu } from '../gpu/node';
import { loadShaderSources } from '../gpu/shaders-node';
import { resultDocument, runSession } from '../engine/session';
import { escapeStudy } from '../core/escape';
import { SLICE_OPTIONS, type SliceArgs, landscapeDocument, parseSliceArgs } from './landscape';
import { type Io, writeOutput } from './io';
import { sweepCommand } from './sweep';
import { checkCommand } from './check';
import { checkRuns, runDocuments } from '../core/compare';
import { type CompareRunInput, compareCsvRows, compareTable, compareText } from '../core/compare-table';
import { toCsv } from '../core/csv';
import { MAIN_RUN } from '../core/document';
import { KERNEL_CHOICES, type KernelChoice, chooseKernels } from '../engine/kernels';
import { chooseThreads } from '../engine/threads';

export type { Io } from './io';


const USAGE = `usage:
  lowrank-lab run FILE.json [--backend cpu|webgpu|auto] [--out RESULT.json] [--table-csv TABLE.csv] [--no-compare]
      (a document with comparison runs: they run after its own run, and the Compare methods table — each
       run's last recorded metrics — goes to stderr; --table-csv writes that table as CSV; --no-compare runs
       the document's own run only)
  lowrank-lab validate FILE.json
  lowrank-lab check FILE.json... [--backend cpu|webgpu|auto] [--pictures DIR] [--jobs N]
      (runs each document and its comparison runs — and its sweep, when claims read its cells (--jobs as
       for sweep) — prints every claim with the measured value, ✓ or ✗; exit 0 when all hold, 1 when one
       fails, 2 for a malformed file)
  lowrank-lab materialize FILE.json [--out EXPLICIT.json]
  lowrank-lab escape FILE.json      (a document with init.saddle: escape time for δ = 1e-2 … 1e-10)
  lowrank-lab landscape FILE.json [--plane random|consensus|hessian] [--res N] [--range R] [--at start|end] [--seed S] [--check] [--out GRID.json]
  lowrank-lab sweep FILE.json [--backend cpu|webgpu|auto] [--jobs N] [--shard K/N] [--out SWEEP.csv]
      (--jobs: worker threads for a sweep on the CPU engine; default one per core, at most 8;
       --shard K/N: only shard K of N — the runs t with t mod N = K − 1 — written as a part file)
  lowrank-lab merge PART.csv... [--out SWEEP.csv]
      (the parts of a sharded sweep, from any engines, as the sweep's CSV)
every command: [--kernels wasm|js] [--threads N] [--max-memory SIZE]
      (--kernels: the CPU engine's products — wasm, the float64 WebAssembly SIMD kernels (default), or js, the
       plain TypeScript path they are checked against;
       --threads: at most N threads for one DGD+LOCAL factorization run on the CPU engine, its nodes split among
       them, the same numbers whatever N (default: one per core; runs too small to gain keep one))
      (the memory budget of one run, e.g. 2G or 512M; default 8G, or half this machine's memory when less;
       a document past it, or past the work cap of 2·10¹⁰ flops before its first iteration, is refused
       from its sizes before anything is built)`;

class UsageError extends Error {}

const BACKENDS: BackendPreference[] = ['cpu', 'webgpu', 'auto'];

function parseArgs(args: string[]): { cmd: string; file: string; backend: BackendPreference; out?: string; tableCsv?: string; noCompare: boolean; jobs?: number; shard?: { index: number; count: number }; maxMemory?: number; slice: SliceArgs } {
  const [cmd, ...rest] = args;
  if (!cmd || cmd === '--help' || cmd === '-h') throw new UsageError(USAGE);
  if (!['run', 'validate', 'materialize', 'landscape', 'escape', 'sweep'].includes(cmd)) throw new UsageError(`unknown command "${cmd}"\n${USAGE}`);
  let file: string | undefined, out: string | undefined, tableCsv: string | undefined, backend = 'cpu', jobs: number | undefined, maxMemory: number | undefined;
  let shard: { index: number; count: number } | undefined, noCompare = false;
  const slice: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--check' && cmd === 'landscape') slice.check = 'yes';
    else if (a === '--no-compare' && cmd === 'run') noCompare = true;
    else if (a === '--out' || a === '--backend' || a === '--max-memory' || (cmd === 'run' && a === '--table-csv') || (cmd === 'sweep' && (a === '--jobs' || a === '--shard')) || (cmd === 'landscape' && SLICE_OPTIONS.includes(a))) {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      if (a === '--out') out = v;
      else if (a === '--table-csv') tableCsv = v;
      else if (a === '--backend') backend = v;
      else if (a === '--max-memory') {
        try {
          maxMemory = parseSize(v);
        } catch (err) {
          throw new UsageError(`--max-memory ${v}: ${(err as Error).message}`);
        }
      } else if (a === '--shard') {
        try {
          shard = parseShard(v);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      } else if (a === '--jobs') {
        jobs = Number(v);
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs ${v}: give a whole number of worker threads from 1 to 64`);
      }
      else slice[a.slice(2)] = v;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}\n${USAGE}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (!file) throw new UsageError(`${cmd} needs a FILE\n${USAGE}`);
  if (!BACKENDS.includes(backend as BackendPreference)) throw new UsageError(`backend "${backend}" does not exist; use --backend ${BACKENDS.join(', ')}`);
  if (tableCsv !== undefined && tableCsv === out) throw new UsageError(`--table-csv and --out both name ${out}; give the table its own file`);
  if (tableCsv !== undefined && noCompare) throw new UsageError('--table-csv writes the table of the comparison runs, which --no-compare leaves out; give one of them');
  return { cmd, file, backend: backend as BackendPreference, out, tableCsv, noCompare, jobs, shard, maxMemory, slice: parseSliceArgs(slice) };
}

/** Before any work: the --out file's folder must exist and be writable (a long run must not end in an unwritable path). */
async function checkOut(out: string | undefined, option = '--out'): Promise<void> {
  if (out === undefined) return;
  const dir = dirname(resolve(out));
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`cannot write ${option} ${out}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `the folder ${dir} does not exist` : `the folder ${dir} is not writable`}`);
  }
}

async function readDocument(file: string): Promise<Experiment> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UsageError(oneLine(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
  }
  let json: unknown;
  try {
    // UTF-8 with or without a byte-order mark, or UTF-16; a fault is said in one line
    json = parseJsonFile(bytes, file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return parseExperiment(json);
}

/** `merge PART.csv... [--out SWEEP.csv]`: the parts of a sharded sweep as its CSV. */
async function mergeCommand(args: string[], io: Io): Promise<number> {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') {
      out = args[++i];
      if (out === undefined) throw new UsageError('--out needs a value');
    } else if (args[i].startsWith('--')) throw new UsageError(`unknown option ${args[i]}\n${USAGE}`);
    else files.push(args[i]);
  }
  await checkOut(out);
  const parts = await Promise.all(files.map(async (f) => {
    let content: string;
    try {
      content = await readFile(f, 'utf8');
    } catch (err) {
      throw new UsageError(oneLine(`cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
    }
    return parsePart(content, f);
  }));
  const plans = new Map<string, SweepPlan>();
  const planOf = (document: string) => {
    if (!plans.has(document)) {
      let json: unknown;
      try {
        json = JSON.parse(document);
      } catch {
        throw new UsageError(`${parts[0].name}: line 2 does not hold a JSON document`);
      }
      const exp = parseExperiment(json);
      if (!exp.sweep) throw new UsageError('the parts\' document has no sweep');
      plans.set(document, planSweep(exp));
    }
    return plans.get(document)!;
  };
  const merged = mergeParts(parts, (d) => planOf(d).trials);
  const plan = planOf(merged.document);
  await writeOutput(out, sweepCsv(plan, aggregate(plan, merged.trials)), io);
  io.stderr(`merge: ${parts.length} shard${parts.length === 1 ? '' : 's'}, ${merged.trials.length} runs, ${plan.cells} cells (engines: ${merged.engines.join(', ')})\n`);
  return 0;
}

/** `check FILE... [--backend B] [--max-memory SIZE] [--pictures DIR] [--jobs N]`: the documents' claims (src/cli/check.ts), and each one's picture. */
async function check(args: string[], io: Io): Promise<number> {
  const files: string[] = [];
  let backend = 'cpu', maxMemory: number | undefined, pictures: string | undefined, jobs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--backend' || a === '--max-memory' || a === '--pictures' || a === '--jobs') {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      if (a === '--backend') backend = v;
      else if (a === '--jobs') {
        jobs = Number(v);
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs ${v}: give a whole number of worker threads from 1 to 64`);
      }
      else if (a === '--pictures') {
        await checkOut(join(v, 'x.svg'));
        pictures = v;
      }
      else {
        try {
          maxMemory = parseSize(v);
        } catch (err) {
          throw new UsageError(`--max-memory ${v}: ${(err as Error).message}`);
        }
      }
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}\n${USAGE}`);
    else files.push(a);
  }
  if (!files.length) throw new UsageError(`check needs at least one FILE\n${USAGE}`);
  if (!BACKENDS.includes(backend as BackendPreference)) throw new UsageError(`backend "${backend}" does not exist; use --backend ${BACKENDS.join(', ')}`);
  return checkCommand({
    files, backend: backend as BackendPreference, budget: cliBudget(maxMemory, totalmem()), read: readDocument, pictures, jobs,
    usage: (m) => new UsageError(m), isUsage: (err) => err instanceof UsageError,
  }, io);
}

/** `--kernels wasm|js`, wherever it stands: chosen for every CPU engine of the command, and taken out of the arguments. */
function takeKernels(args: string[]): string[] {
  const i = args.indexOf('--kernels');
  if (i < 0) {
    chooseKernels('wasm');
    return args;
  }
  const v = args[i + 1];
  if (v === undefined) throw new UsageError('--kernels needs a value: wasm or js');
  if (!KERNEL_CHOICES.includes(v as KernelChoice)) throw new UsageError(`--kernels ${v}: use --kernels ${KERNEL_CHOICES.join(' or ')}`);
  chooseKernels(v as KernelChoice);
  return [...args.slice(0, i), ...args.slice(i + 2)];
}

/** `--threads N`, wherever it stands, likewise. */
function takeThreads(args: string[]): string[] {
  const i = args.indexOf('--threads');
  if (i < 0) {
    chooseThreads(null);
    return args;
  }
  const v = args[i + 1], n = Number(v);
  if (v === undefined) throw new UsageError('--threads needs a value: a whole number of threads from 1 to 256');
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--threads ${v}: give a whole number of threads from 1 to 256`);
  chooseThreads(n);
  return [...args.slice(0, i), ...args.slice(i + 2)];
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    const args = takeThreads(takeKernels(argv));
    if (args[0] === 'merge') return await mergeCommand(args.slice(1), io);
    if (args[0] === 'check') return await check(args.slice(1), io);
    const parsed = parseArgs(args);
    const { cmd, file, backend, out } = parsed;
    const exp = await readDocument(file);
    await checkOut(out);
    await checkOut(parsed.tableCsv, '--table-csv');
    const budget = cliBudget(parsed.maxMemory, totalmem());
    if (cmd === 'sweep') return await sweepCommand(exp, { backend, out, jobs: parsed.jobs, shard: parsed.shard, budget }, io, (m) => new UsageError(m));
    // from the sizes alone, before anything is built: a document past the memory budget or the work cap is refused
    const cost = checkBudget(exp, budget);
    if (cmd === 'validate') return validate(file, exp, cost, budget, io);
    // the result (or explicit) document is one JSON text: refused now if it could not be written at the end
    if (cmd === 'run' || cmd === 'materialize') checkOutput(cost, cmd === 'run' ? 'result' : 'materialize', bufferConstants.MAX_STRING_LENGTH);
    const inst = buildInstance(exp);
    if (exp.sweep) io.stderr(`note: ${file} has a sweep; ${cmd} uses its base experiment (\`sweep ${file}\` runs the grid)\n`);
    const emit = (text: string) => writeOutput(out, text + '\n', io);
    if (cmd === 'materialize') {
      await emit(JSON.stringify(materialize(exp, inst)));
      return 0;
    }
    if (cmd === 'escape') {
      if (!exp.init.saddle) throw new DocumentError('init.saddle', 'the escape study starts at a saddle: give init.saddle');
      const st = escapeStudy(exp);
      await emit(JSON.stringify({
        format: 'lowrank-lab/escape', version: 1, fSaddle: st.fSaddle, fStar: st.fStar, lambdaMin: st.lambdaMin, stepsize: st.stepsize,
        runs: st.runs.map((r) => ({ delta: r.delta, escape: r.escape })), fit: st.fit, theorySlope: st.theorySlope,
      }));
      for (const r of st.runs) io.stderr(`δ = ${r.delta.toExponential(0)}: ${r.escape === null ? `no escape within ${exp.algorithm.iterations} iterations` : `escapes at iteration ${r.escape}`}\n`);
      if (st.fit) io.stderr(`escape ≈ ${st.fit.slope.toFixed(2)}·ln(1/δ) + ${st.fit.intercept.toFixed(1)} (R² = ${st.fit.r2.toFixed(4)}); linearised GD predicts slope 1/ln(1 + μ|λ_min|) = ${st.theorySlope.toFixed(2)}\n`);
      return 0;
    }
    if (cmd === 'landscape') {
      const doc = await landscapeDocument(inst, parsed.slice);
      await emit(JSON.stringify(doc));
      io.stderr(`${doc.method} quartic slice (${doc.plane} plane) at iteration ${doc.iteration}: ${doc.spec.na}×${doc.spec.nb} in ${doc.ms.toFixed(0)} ms${doc.bruteForceError !== undefined ? `; brute-force check: max relative difference ${doc.bruteForceError.toExponential(2)}` : ''}\n`);
      return 0;
    }
    // the comparison runs: each a valid experiment within the budget, before anything runs
    const compared = parsed.noCompare ? [] : [...runDocuments(exp)].slice(1);
    for (const [, doc] of compared) checkBudget(doc, budget);
    const gpu = backend === 'cpu' ? null : await nodeGpu();
    try {
      const runOne = async (instance: typeof inst) => {
        const choice = await chooseEngine({ prefer: backend, gpu: gpu?.gpu, shaders: gpu ? loadShaderSources() : ({} as ShaderSources), instance });
        // an explicit --backend webgpu must not quietly become a CPU run
        if (backend === 'webgpu' && choice.engine.kind !== 'webgpu') {
          choice.engine.destroy();
          throw new UsageError(choice.reason);
        }
        if (backend !== 'cpu') io.stderr(`${choice.reason}\n`);
        try {
          return { choice, outcome: await runSession(choice.engine, instance) };
        } finally {
          choice.engine.destroy();
        }
      };
      const { choice, outcome } = await runOne(inst);
      const doc = resultDocument(inst, choice.engine.kind, outcome);
      if (choice.adapter) doc.adapter = choice.adapter;
      await emit(resultToJson(doc));
      io.stderr(`${outcome.stop.message}\n`);
      const h = outcome.series?.heterogeneity;
      if (h) io.stderr(`heterogeneity index, largest windows: ${topIndices(h.values, Math.min(5, h.values.length)).map((i) => `${h.labels[i]} ${h.values[i].toPrecision(4)}${h.events?.[i] ? ' (event)' : ''}`).join('; ')}\n`);
      if (compared.length || parsed.tableCsv !== undefined) {
        const rows: CompareRunInput[] = [{ name: MAIN_RUN, kind: exp.problem.kind, algorithm: exp.algorithm.name, trace: outcome.trace, stop: outcome.stop }];
        for (const [name, cdoc] of compared) {
          const run = await runOne(buildInstance(cdoc));
          io.stderr(`run "${name}": ${run.outcome.stop.message}\n`);
          rows.push({ name, kind: cdoc.problem.kind, algorithm: cdoc.algorithm.name, trace: run.outcome.trace, stop: run.outcome.stop });
        }
        const table = compareTable(rows);
        io.stderr(compareText(table));
        if (parsed.tableCsv !== undefined) await writeOutput(parsed.tableCsv, toCsv(compareCsvRows(table)), io);
      }
      return outcome.stop.reason === 'diverged' ? 3 : 0;
    } finally {
      gpu?.release();
    }
  } catch (err) {
    if (err instanceof DocumentError || err instanceof UsageError || err instanceof PartError) {
      // a document's fault in one line, however odd its keys or values (usage text keeps its lines)
      io.stderr(`error: ${err instanceof DocumentError ? oneLine(err.message) : err.message}\n`);
      return 2;
    }
    io.stderr(`internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

/**
 * `validate`: the document's checks, the sweep's cells against the budget, the cost from the sizes, and —
 * when setting up is cheap (at most VALIDATE_BUILD_FLOPS) — μ, ω and the step-size bounds of the built
 * instance (building also finds what only the build can: a random graph that never connects, ω ≥ ½ under
 * the step rule). Otherwise the description comes from the sizes and nothing is built.
 */
function validate(file: string, exp: Experiment, cost: Cost, budget: Budget, io: Io): number {
  // comparison runs valid, claims readable from their runs (the checks `check` makes before it runs anything)
  checkRuns(exp);
  const plan = exp.sweep ? planSweep(exp) : null;
  if (plan) checkSweepBudget(plan, budget);
  const sweepLine = plan ? `  sweep: ${plan.x.values.length}${plan.y ? ` × ${plan.y.values.length}` : ''} cells × ${plan.seeds} seeds = ${plan.trials} runs over ${plan.x.param}${plan.y ? ` × ${plan.y.param}` : ''}\n` : '';
  const costLine = `  cost: ${describeCost(cost)}\n`;
  // last, so the lines above read the same with or without claims
  const compared = exp.compare?.length ? `; comparison runs: ${exp.compare.map((r) => `"${r.name}"`).join(', ')}` : '';
  const claimsLine = exp.claims?.length || compared ? `  claims: ${exp.claims?.length ?? 0}, checked by \`check\`${compared}\n` : '';
  const kind = kindOf(exp.problem.kind)!;
  if (cost.flops > VALIDATE_BUILD_FLOPS) {
    const s = cost.sizes;
    const what = `${kind.budget.describe(s)}${isNodeKind(kind) ? `, ${s.alg} on J = ${s.alg === 'gd' ? 1 : s.J}` : ''}`;
    io.stdout(`${file}: valid — ${what}\n${sweepLine}${costLine}`);
    io.stdout(`  not built: setting it up takes about ${formatFlops(cost.flops)} flops (validate builds up to ${formatFlops(VALIDATE_BUILD_FLOPS)}); `
      + `${kind.budget.resolvedLater ?? 'μ, ω and the step-size bounds are'} computed when it runs\n${claimsLine}`);
    return 0;
  }
  const inst = buildInstance(exp);
  if (!isNodeInstance(inst)) {
    io.stdout(`${file}: valid — ${inst.method.summary()}\n${sweepLine}${costLine}${claimsLine}`);
    return 0;
  }
  const p = inst.problem;
  const size = kindOfProblem(p).describe(p);
  io.stdout(`${file}: valid — ${p.kind} (${size}), ${exp.algorithm.name} on J = ${inst.objective.J}, μ = ${inst.stepsize.toPrecision(4)}, ω = ${inst.omega.toFixed(4)}\n${sweepLine}${costLine}`);
  io.stdout('step-size bounds (SPEC §3):\n');
  for (const v of theoryReport(inst).verdicts) {
    io.stdout(`  ${v.at ? 'μ =' : v.ok ? 'μ <' : 'μ ≥'} ${v.bound.toExponential(2).padEnd(9)} ${v.name} — ${v.source}\n`);
  }
  io.stdout(claimsLine);
  return 0;
}

export { materialize } from '../core/materialize';

