// The settings' help texts set their citations apart (shown only when "the papers' references" is ticked):
// what counts as a citation, on help texts the lab uses.
import { describe, expect, it } from 'vitest';
import { splitCitations } from '../../src/ui/Control';

const plain = (help: string) => splitCitations(help).filter((p) => !p.ref).map((p) => p.text).join('');
const refs = (help: string) => splitCitations(help).filter((p) => p.ref).map((p) => p.text.trim());

describe('help texts without their citations', () => {
  it('a spec section, a paper tag with a section, a proposition and an equation number are citations', () => {
    expect(refs('Fit Y ≈ UVᵀ: every critical point is a global minimum or a strict saddle (SPEC §4).')).toEqual(['(SPEC §4)']);
    expect(plain('Fit Y ≈ UVᵀ: every critical point is a global minimum or a strict saddle (SPEC §4).')).toBe('Fit Y ≈ UVᵀ: every critical point is a global minimum or a strict saddle.');
    expect(refs('Measurements per node ([G] §4, eqs. (10) and (11)); more is easier.')).toEqual(['([G] §4, eqs. (10) and (11))']);
    expect(refs('Weight of ½β‖UᵀU − I‖² on U_g (7.2). L̂ = 6σ₁ (Prop. 2.1).')).toEqual(['(7.2)', '(Prop. 2.1)']);
    expect(plain('Weight of ½β‖UᵀU − I‖² on U_g (7.2). L̂ = 6σ₁ (Prop. 2.1).')).toBe('Weight of ½β‖UᵀU − I‖² on U_g. L̂ = 6σ₁.');
    // an equation the sentence names is part of it
    expect(refs('Q(U, V) of (6.2): penalises rows of U or V longer than α (SPEC §6.1).')).toEqual(['(SPEC §6.1)']);
  });
  it('a parenthesis that cites nothing stays: "(0: exactly those of S⋆)", "(at most 96 px a side)"', () => {
    for (const help of ['the corrupted entries found (0: exactly those of S⋆)', 'an image becomes a grayscale matrix (at most 96 px a side)']) {
      expect(refs(help)).toEqual([]);
      expect(plain(help)).toBe(help);
    }
  });
  it('the parts put together are the help text', () => {
    const help = 'Adds (λ/4)‖UᵀU − VᵀV‖² on every node (SPEC §5.4). 0: the unregularised problem (R10, [G] §4.3).';
    expect(splitCitations(help).map((p) => p.text).join('')).toBe(help);
    expect(refs(help)).toEqual(['(SPEC §5.4)', '(R10, [G] §4.3)']);
  });
});
