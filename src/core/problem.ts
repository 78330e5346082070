/**
 * Problem instances of the node kinds built on plain data: the factorization (factorization-model.ts) and
 * least squares (least-squares-model.ts). The measured and symmetric kinds keep theirs beside their kinds.
 */
import type { FactorizationProblem } from './factorization-model';
import type { LeastSquaresProblem } from './least-squares-model';

export * from './factorization-model';
export * from './least-squares-model';

export type Problem = FactorizationProblem | LeastSquaresProblem;
