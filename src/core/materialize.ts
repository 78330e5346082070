/**
 * One place that writes an experiment out explicitly (the CLI's `materialize`, usable from the browser
 * too): every generated array written out, the same run with no generator needed.
 */
import { type Instance, isNodeInstance, kindOfProblem, stateToTensors } from './build';
import { claimRuns } from './claims';
import { MAIN_RUN, isCellClaim } from './document';
import type { Experiment } from './experiment';

/**
 * The experiment with every generated array written out: same run, no generator needed. Comparison runs
 * are left out (their patches change settings the explicit arrays now fix, such as the network's
 * topology), and with them the claims that read them; so are the claims about the sweep's cells (the
 * written-out arrays fix the data a sweep's cells would generate).
 */
export function materialize(exp: Experiment, inst: Instance): Experiment {
  const { compare: _compare, claims, ...own } = exp;
  const mainClaims = claims?.filter((c) => !isCellClaim(c) && claimRuns(c).every((r) => r === MAIN_RUN));
  return { ...explicit(own, inst), ...(mainClaims?.length ? { claims: mainClaims } : {}) };
}

function explicit(exp: Experiment, inst: Instance): Experiment {
  if (!isNodeInstance(inst)) return inst.method.materialize(exp);
  const p = inst.problem;
  const problem = kindOfProblem(p).materialize(exp.problem, p, exp.algorithm.name) as Experiment['problem'];
  const J = inst.W.rows;
  return {
    ...exp,
    problem,
    network: exp.algorithm.name === 'gd' ? undefined : { W: { shape: [J, J], data: Array.from(inst.W.data) }, weights: 'metropolis', lazy: false },
    algorithm: { ...exp.algorithm, stepsize: inst.stepsize, recordEvery: inst.recordEvery },
    init: stateToTensors(inst, inst.init),
  };
}
