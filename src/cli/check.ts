/**
 * `lowrank-lab check FILE...`: runs each document — its own run and the comparison runs its claims read,
 * and its sweep (as `sweep` runs it, src/cli/sweep.ts) when claims read the sweep's cells — and prints
 * every claim with what was measured, ✓ or ✗ (src/core/claims.ts). Exit status: 0 when every claim of
 * every file holds, 1 when one fails, 2 when a file is malformed (it does not validate, or a claim asks for
 * what its run or sweep does not record). Every file is checked either way; the run lines go to stderr.
 */
import type { Budget } from '../core/budget';
import { checkBudget } from '../core/budget';
import { buildInstance } from '../core/build';
import { type ClaimRun, type ClaimSweep, STATUS_MARK, evaluateClaims, readsSweep, runsNeeded } from '../core/claims';
import { checkRuns } from '../core/compare';
import { DocumentError, type Experiment } from '../core/experiment';
import { oneLine } from '../core/json-file';
import type { BackendPreference } from '../engine/backend';
import { chooseEngine } from '../engine/backend';
import { runSession } from '../engine/session';
import type { ShaderSources } from '../gpu/kernels';
import { type NodeGpu, nodeGpu } from '../gpu/node';
import { loadShaderSources } from '../gpu/shaders-node';
import type { Io } from './io';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { claimsPicture, peaksPicture, pictureMetric, picturePeaks, sweepPicture, sweepPictureMetric } from '../core/picture';
import { planSweep } from '../core/sweep';
import { runDocumentSweep, sweepDoneText } from './sweep';

export interface CheckOptions {
  files: string[];
  backend: BackendPreference;
  budget: Budget;
  /** worker threads for a sweep its claims read (CPU engine; default one per core, at most 8) */
  jobs?: number;
  /** reads and validates one document (the CLI's own reader: encodings, one-line errors) */
  read(file: string): Promise<Experiment>;
  /** a folder to write each file's picture into (<name>.svg, src/core/picture.ts) */
  pictures?: string;
  /** a usage error (exit 2) with this message */
  usage(message: string): Error;
  /** whether an error is the user's (a usage error: reported in one line, exit 2) */
  isUsage(err: unknown): boolean;
}

/** Runs one document's claimed runs and prints its claims; the exit status for this file. */
async function checkFile(file: string, exp: Experiment, o: CheckOptions, gpu: () => Promise<NodeGpu | null>, io: Io): Promise<number> {
  const claims = exp.claims ?? [];
  if (!claims.length) {
    io.stdout(`${file}: no claims to check\n`);
    return 0;
  }
  // every comparison run valid, every claim's iteration and curvature recorded by its run: else malformed (exit 2)
  const docs = checkRuns(exp);
  const runs = new Map<string, ClaimRun>();
  for (const name of runsNeeded(claims)) {
    const doc = docs.get(name)!;
    checkBudget(doc, o.budget);
    const inst = buildInstance(doc);
    const g = o.backend === 'cpu' ? null : await gpu();
    const choice = await chooseEngine({ prefer: o.backend, gpu: g?.gpu, shaders: g ? loadShaderSources() : ({} as ShaderSources), instance: inst });
    if (o.backend === 'webgpu' && choice.engine.kind !== 'webgpu') {
      choice.engine.destroy();
      throw o.usage(choice.reason);
    }
    const t0 = performance.now();
    try {
      const out = await runSession(choice.engine, inst);
      runs.set(name, { trace: out.trace, stop: out.stop, ...(out.verdict ? { verdict: out.verdict } : {}), ...(out.series ? { series: out.series } : {}) });
      io.stderr(`${file}: run "${name}" on the ${choice.engine.kind === 'cpu' ? 'CPU engine (float64)' : 'WebGPU engine (float32)'}: ${out.stop.message} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    } finally {
      choice.engine.destroy();
    }
  }
  // claims about the sweep's cells: the sweep, run as `sweep` runs it
  let sweep: ClaimSweep | null = null;
  if (readsSweep(claims)) {
    const plan = planSweep(exp);
    const t0 = performance.now();
    const res = await runDocumentSweep(exp, plan, { backend: o.backend, jobs: o.jobs, budget: o.budget }, io, o.usage, `${file}: sweep`);
    io.stderr(`${file}: sweep: ${sweepDoneText(res)} (${((performance.now() - t0) / 1000).toFixed(1)} s with the start)\n`);
    sweep = { x: plan.x, y: plan.y, cells: res.cells };
  }
  const results = evaluateClaims(claims, runs, sweep);
  // the picture draws the runs' traces, or the sweep's cells coloured by the metric its claims read first
  const picture = join(o.pictures ?? '', `${basename(file).replace(/\.json$/i, '')}.svg`);
  const peaks = picturePeaks(claims);
  if (o.pictures && peaks && runs.size) await writeFile(picture, peaksPicture(peaks, runs));
  else if (o.pictures && runs.size) await writeFile(picture, claimsPicture(pictureMetric(claims), runs, runsNeeded(claims)));
  else if (o.pictures && sweep) await writeFile(picture, sweepPicture(sweepPictureMetric(claims), sweep));
  io.stdout(`${file}${exp.title ? `: ${exp.title}` : ''}\n`);
  for (const r of results) io.stdout(`  ${STATUS_MARK[r.status]} ${r.claim.text}\n      ${r.status === 'error' ? `cannot be checked: ${r.detail}` : r.detail}\n`);
  const holds = results.filter((r) => r.status === 'holds').length;
  const errors = results.filter((r) => r.status === 'error').length;
  io.stdout(`  ${holds} of ${results.length} claim${results.length === 1 ? '' : 's'} hold${errors ? `; ${errors} cannot be checked` : ''}\n`);
  return errors ? 2 : holds === results.length ? 0 : 1;
}

export async function checkCommand(o: CheckOptions, io: Io): Promise<number> {
  if (!o.files.length) throw o.usage('check needs at least one FILE');
  let gpuHandle: NodeGpu | null = null;
  const gpu = async () => (gpuHandle ??= await nodeGpu());
  let worst = 0;
  try {
    for (const file of o.files) {
      let code: number;
      try {
        code = await checkFile(file, await o.read(file), o, gpu, io);
      } catch (err) {
        if (!(err instanceof DocumentError) && !o.isUsage(err)) throw err;
        io.stderr(`error: ${err instanceof DocumentError ? `${file}: ${oneLine(err.message)}` : (err as Error).message}\n`);
        code = 2;
      }
      worst = Math.max(worst, code);
    }
  } finally {
    (gpuHandle as NodeGpu | null)?.release();
  }
  return worst;
}
