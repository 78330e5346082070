/**
 * R11 (SPEC §5.5, [S] Fig. 2c–e) from the shipped presets: DGD+LOCAL on 5 nodes, each with its own
 * 750×250 Gaussian operator on its 50×5 block of X⋆ (rank 5). With λ = 0 the run reaches exact consensus
 * and global optimality; the node-local balancing term leaves plateaus that scale like λ².
 */
import { describe, expect, it } from 'vitest';
import { iterationsTo, preset } from './helpers';

describe('R11: distributed sensing', () => {
  it('λ = 0: optimality error and consensus error < 1e-10 (exact consensus, global optimum)', () => {
    const doc = preset('r11');
    const r = iterationsTo(doc, 1e-12, doc.algorithm.iterations);
    expect(r.opt).toBeLessThan(1e-10);
    expect(r.consensus).toBeLessThan(1e-10);
    expect(r.iterations).toBeLessThan(doc.algorithm.iterations);
  });

  it('λ > 0: near-optimality and near-consensus at plateaus that shrink like λ² as λ shrinks', () => {
    // run both to the preset's end (the plateau), not to a target
    const a = iterationsTo(preset('r11-lambda-1e-2'), 0, 3000);
    const b = iterationsTo(preset('r11-lambda-1e-4'), 0, 3000);
    // a real plateau: far above the λ = 0 floor …
    expect(b.opt).toBeGreaterThan(1e-12);
    expect(b.consensus).toBeGreaterThan(1e-14);
    // … and 100× smaller λ gives ~10⁴× smaller errors (λ², within a factor 2)
    for (const key of ['opt', 'consensus', 'fit'] as const) {
      const ratio = a[key] / b[key];
      expect(ratio).toBeGreaterThan(5e3);
      expect(ratio).toBeLessThan(2e4);
    }
  });
});
