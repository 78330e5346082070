/**
 * The experiment document (`"format": "lowrank-lab/experiment"`), shared by the app, the CLI and the tests.
 * One zod schema validates every way a document arrives (file, URL, form); what it accepts, the rest of
 * the code trusts. Field names are fixed by the project (see README "Experiment documents"); new fields
 * may be added, old ones are never renamed.
 *
 * The `problem` section is one schema per kind (src/core/problems, through the registry); the shared
 * pieces (tensors, network, algorithm, start) and the errors are in document.ts.
 */
import * as z from 'zod';
import {
  ALGORITHM_LABELS, AlgorithmSchema, CELL_NUMBER_METRICS, type CheckContext, ClaimSchema, CompareRunSchema, InitSchema, MAIN_RUN, MAX_COMPARE_RUNS, NetworkSchema, firstIssue, isCellClaim,
} from './document';
import { fromArray } from './linalg';
import { checkMixing, isConnected } from './network';
import type { ProblemKind } from './problems/kind';
import { KINDS, ProblemSchema, kindOf } from './problems/registry';
import { SweepSchema, sweepParam } from './sweep-schema';

export {
  ALGORITHMS, type AlgorithmName, DocumentError, type NetworkConfig, type Tensor, TOPOLOGIES, TensorSchema, WEIGHT_RULES, firstIssue,
} from './document';

const RunSchema = z.strictObject({
  format: z.literal('lowrank-lab/experiment', { error: 'format must be "lowrank-lab/experiment"' }),
  version: z.literal(1, { error: 'version must be 1 (the only version this build reads)' }),
  title: z.string().optional(),
  description: z.string().optional(),
  /** where real data in the document comes from: dataset, publisher, package and version */
  source: z.string().optional(),
  /** the licence the data is used under */
  licence: z.string().optional(),
  problem: ProblemSchema,
  network: NetworkSchema.optional(),
  algorithm: AlgorithmSchema,
  init: InitSchema.default({ seed: 0, scale: 0.1 }),
  /** how the app shows the data: `image` draws Y and the reconstruction ŪVᵀ as grayscale pictures */
  display: z.strictObject({ image: z.boolean().optional() }).optional(),
  /** a grid of runs over one or two parameters (src/core/sweep-schema.ts); a plain run ignores it */
  sweep: SweepSchema.optional(),
  /** runs beside this one: the same document with a few settings changed (src/core/compare.ts) */
  compare: z.array(CompareRunSchema).max(MAX_COMPARE_RUNS, `lists at most ${MAX_COMPARE_RUNS} comparison runs`).optional(),
  /** the description's statements about the result, as checks on the recorded values (src/core/claims.ts) */
  claims: z.array(ClaimSchema).optional(),
  // the cross-checks read sizes and entries (an explicit W's data as a J×J matrix): only on a document
  // whose every field already passed, so a malformed tensor is reported by its own check
}).superRefine(crossCheck, { when: (payload) => payload.issues.length === 0 });

export const ExperimentSchema = RunSchema.superRefine(checkNames, { when: (payload) => payload.issues.length === 0 });

export type Experiment = z.infer<typeof ExperimentSchema>;
export type ExperimentInput = z.input<typeof ExperimentSchema>;

type Fail = (path: (string | number)[], message: string) => void;

const quoted = (xs: readonly string[], joiner: string) => xs.map((x) => `"${x}"`).join(joiner);
const listAnd = (xs: readonly string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const listOr = (xs: readonly string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/** Why `kind` does not run algorithm `alg`, in one sentence for the field algorithm.name. */
function refusal(kind: ProblemKind, alg: Experiment['algorithm']['name']): string {
  const custom = kind.refuse?.[alg];
  if (custom) return custom;
  if (kind.algorithms.length === 1 || !kind.usesNetwork) {
    return `is "${alg}", but a${/^[aeiouh]/.test(kind.kind) ? 'n' : ''} "${kind.kind}" problem runs with algorithm ${listOr(kind.algorithms.map((a) => `"${a}"`))}`;
  }
  const owners = KINDS.filter((k) => k.algorithms.includes(alg));
  if (owners.length === 1 && (owners[0].algorithms.length === 1 || !owners[0].usesNetwork)) return `"${alg}" needs a problem of kind "${owners[0].kind}", not "${kind.kind}"`;
  return `${ALGORITHM_LABELS[alg]} runs ${listAnd(owners.map((k) => k.label))}; run "${kind.kind}" with ${quoted(kind.algorithms, ' or ')}`;
}

/**
 * A single-algorithm kind or algorithm, or a kind without a network (HMF and its rivals) or an algorithm only
 * such kinds run, is refused before anything else (its other checks would not apply).
 */
const exclusive = (kind: ProblemKind, alg: Experiment['algorithm']['name']) =>
  kind.algorithms.length === 1 || !kind.usesNetwork
  || KINDS.some((k) => k.algorithms.includes(alg) && (k.algorithms.length === 1 || !k.usesNetwork));

/**
 * Checks that relate fields to each other: the algorithm against the kind, the network's J and an explicit
 * W against the assumptions (2.1), then the kind's own checks (sizes, the start's layout).
 * Runs inside the schema, so every entry point (CLI, URL, import) reports the same message.
 */
function crossCheck(e: Pick<Experiment, 'problem' | 'network' | 'algorithm' | 'init'>, ctx: { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void }): void {
  const fail: Fail = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const shapeText = (s: number[]) => `[${s.join(', ')}]`;
  const alg = e.algorithm.name;
  const net = e.network;
  const kind = kindOf(e.problem.kind)!;
  const runs = kind.algorithms.includes(alg);
  if (!runs && exclusive(kind, alg)) return fail(['algorithm', 'name'], refusal(kind, alg));
  for (const other of KINDS) {
    if (other.algorithms.includes(alg)) continue;
    const option = other.algorithmOptions?.find((o) => (e.algorithm as Record<string, unknown>)[o] !== undefined);
    if (option) return fail(['algorithm', option], `is an ${other.label} option; algorithm "${alg}" does not use it`);
  }
  const check: CheckContext = { algorithm: e.algorithm, init: e.init, network: net, J: undefined };
  if (!kind.usesNetwork) return kind.check(e.problem, check, fail);

  // --- network: how many nodes, and is an explicit W admissible?
  let J: number | undefined;
  if (net) {
    const given = [net.W && 'W', net.topology && 'topology'].filter(Boolean);
    if (given.length !== 1) return fail(['network'], 'give exactly one of "W" (a mixing matrix) or "topology"');
    if (net.W) {
      const [a, b] = net.W.shape;
      if (net.W.shape.length !== 2 || a !== b) return fail(['network', 'W', 'shape'], `must be [J, J], got ${shapeText(net.W.shape)}`);
      const check = checkMixing(fromArray(a, a, net.W.data));
      if (check.problems.length) return fail(['network', 'W'], check.problems[0]);
      J = a;
    } else if (net.topology === 'adjacency') {
      if (!net.adjacency) return fail(['network', 'adjacency'], 'topology "adjacency" needs an adjacency matrix');
      const [a, b] = net.adjacency.shape;
      if (net.adjacency.shape.length !== 2 || a !== b) return fail(['network', 'adjacency', 'shape'], `must be [J, J], got ${shapeText(net.adjacency.shape)}`);
      if (net.J !== undefined && net.J !== a) return fail(['network', 'J'], `is ${net.J} but the adjacency matrix is ${a}×${a}`);
      if (!isConnected(fromArray(a, a, net.adjacency.data))) return fail(['network', 'adjacency'], 'the graph is disconnected; DGD+LOCAL needs a connected network');
      J = a;
    } else {
      if (net.J === undefined) return fail(['network', 'J'], `topology "${net.topology}" needs the number of nodes J`);
      J = net.J;
      if ((net.topology === 'grid' || net.topology === 'torus')) {
        if (net.rows === undefined || net.cols === undefined) return fail(['network', 'rows'], `topology "${net.topology}" needs rows and cols`);
        if (net.rows * net.cols !== J) return fail(['network', 'J'], `is ${J} but rows × cols = ${net.rows * net.cols}`);
      }
      if (net.topology === 'erdos-renyi' && net.p === undefined) return fail(['network', 'p'], 'topology "erdos-renyi" needs the edge probability p');
    }
    if (net.weights === 'threshold' && net.topology !== 'random-threshold') {
      return fail(['network', 'weights'], 'weights "threshold" need topology "random-threshold"');
    }
  } else if (alg !== 'gd') {
    return fail(['network'], `algorithm "${alg}" is distributed and needs a network`);
  }

  if (!runs) return fail(['algorithm', 'name'], refusal(kind, alg));
  kind.check(e.problem, { ...check, J }, fail);
}

type Issues = { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void };

/**
 * Comparison runs and claims, as far as the document alone tells: names are unique, and each claim names a
 * run that exists. Whether each comparison run is a valid experiment, and whether a claim's iteration and
 * metric are recorded by its run, depends on settings the app lets a person change (a claim at iteration
 * 4000 of a run cut to 3000): compare.ts `checkRuns` says, for `validate` and `check`; the app skips or marks
 * what no longer fits instead of refusing the document.
 */
function checkNames(e: z.infer<typeof RunSchema>, ctx: Issues): void {
  const fail: Fail = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const runs = new Set<string>([MAIN_RUN]);
  for (const [i, run] of (e.compare ?? []).entries()) {
    if (runs.has(run.name)) return fail(['compare', i, 'name'], `"${run.name}" names two comparison runs; give each its own name`);
    runs.add(run.name);
  }
  const names = [...runs].map((n) => `"${n}"`).join(', ');
  // a sweep's run axis (sweep-schema.ts) names the document's runs
  for (const name of ['x', 'y'] as const) {
    const axis = e.sweep?.[name];
    if (!axis || !sweepParam(axis.param)?.run) continue;
    const bad = (axis.values ?? []).findIndex((v) => !runs.has(String(v)));
    if (bad >= 0) return fail(['sweep', name, 'values', bad], `"${String(axis.values![bad])}" names no run of this document; the runs are ${names}${runs.size === 1 ? ' (add the others to "compare", each with its patch)' : ''}`);
  }
  for (const [i, c] of (e.claims ?? []).entries()) {
    if ('relation' in c && c.relation !== '≈' && c.tolerance !== undefined) return fail(['claims', i, 'tolerance'], 'applies to the relation "≈" only');
    if (isCellClaim(c)) {
      // which cells the sweep has is checked against the sweep's settings (compare.ts claimMisfit), like a run's iterations
      const sides = 'left' in c ? [['left', c.left], ['right', c.right]] as const : [[null, c]] as const;
      for (const [side, s] of sides) {
        if (s.stat !== undefined && (CELL_NUMBER_METRICS as readonly string[]).includes(s.metric)) {
          return fail(['claims', i, ...(side ? [side] : []), 'stat'], `${s.metric} is one number per cell, not a spread over its seeds; leave "stat" out`);
        }
      }
      continue;
    }
    const sides = 'left' in c ? [['left', c.left.run], ['right', c.right.run]] as const : [[null, c.run]] as const;
    for (const [side, run] of sides) {
      if (!runs.has(run)) return fail(['claims', i, ...(side ? [side] : []), 'run'], `"${run}" names no run; the runs are ${names}`);
    }
  }
}

/** Validate the document's form (types, ranges, shapes). Cross-field checks happen in `buildInstance`. */
export function parseExperiment(input: unknown): Experiment {
  const r = ExperimentSchema.safeParse(input);
  if (!r.success) throw firstIssue(r.error);
  return r.data;
}
