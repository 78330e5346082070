/**
 * The hmf kind's cross-checks for algorithm "hae" (Algorithm 2 of [H], src/core/hae.ts), and the refusal of
 * the `hae` options by the kind's other algorithms. Returns true when it reported a failure.
 */
import type { CheckContext, Fail } from '../document';
import type { HmfProblemConfig } from './hmf-schema';

export function checkHae(p: HmfProblemConfig, ctx: CheckContext, fail: Fail): boolean {
  const a = ctx.algorithm;
  if (a.name !== 'hae') {
    if (a.hae === undefined) return false;
    fail(['algorithm', 'hae'], `is the settings of HAE (Algorithm 2); algorithm "${a.name}" does not read them: leave them out (in a comparison run's patch, "hae": null)`);
    return true;
  }
  if (typeof a.stepsize !== 'number') {
    fail(['algorithm', 'stepsize'], 'HAE takes AdamW\'s learning rate η as a number (e.g. 0.003); the step rule c/maxᵢ‖Mᵢ‖₂² is Algorithm 1\'s');
    return true;
  }
  const r = p.sharedRank, k = a.hae?.groups ?? 1;
  if (p.uniqueRank !== r) {
    fail(['problem', 'uniqueRank'], `is ${p.uniqueRank} but HAE's decoder reads the sum of the shared and the unique embedding, so both have the length r = sharedRank = ${r}; give uniqueRank = ${r}`);
    return true;
  }
  if (r % k !== 0) {
    fail(['algorithm', 'hae', 'groups'], `is ${k}, which does not divide the embedding length r = sharedRank = ${r}; the fold F cuts an r-vector into k vectors of length r/k`);
    return true;
  }
  if (k * k >= r) {
    fail(['algorithm', 'hae', 'groups'], `is ${k} with r = ${r}: the fold gives k = ${k} shared vectors of length r/k = ${r / k}, which span all of ℝ^${r / k} when k ≥ r/k, so the deflation would leave no unique embedding; use k < √r (e.g. k = 1) or a larger sharedRank`);
    return true;
  }
  return false;
}
