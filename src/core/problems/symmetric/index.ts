/**
 * The symmetric PSD family of [G] §4 (X = UUᵀ, one factor U ∈ ℝ^{n×r}): planted sensing, completion and
 * robust PCA instances (problem.ts), their node objectives with analytic gradients and Hessian–vector
 * products (objective.ts), the RPCA projection (projection.ts), metrics and the step rule (metrics.ts), and
 * the 2-D toy f(u) = ‖uuᵀ − diag(σ₁, σ₂)‖² and its entry in the landscape's toy list (toy.ts). Leaf modules:
 * they import only linalg, rng, fmath, zod, the kernels (src/core/kernels.ts), the NodeObjective type and the Toy type.
 */
export * from './problem';
export * from './objective';
export * from './projection';
export * from './metrics';
export * from './toy';
