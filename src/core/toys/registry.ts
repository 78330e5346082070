/**
 * The toys of the Landscape view, in the order the view lists them; a toy's index here is its number in
 * the landscape kernel's Params (shaders/landscape.wgsl). To add a toy: write a `Toy` (src/core/toys/kind.ts)
 * beside its problem family and list it here — the link (?lk=, its parameter's key), the view's controls,
 * legend and words, and the GPU grid follow.
 */
import { symmetricToy } from '../problems/symmetric/toy';
import type { Toy } from './kind';
import { balancedToy, plainToy } from './uv';

export const TOYS: readonly Toy[] = [plainToy, balancedToy, symmetricToy];

export const TOY_NAMES = TOYS.map((t) => t.name) as [string, ...string[]];

/** The toy called `name`; a RangeError naming the known ones otherwise. */
export function toyFor(name: string): Toy {
  const t = TOYS.find((x) => x.name === name);
  if (!t) throw new RangeError(`unknown toy "${name}"; the landscape knows ${TOY_NAMES.join(', ')}`);
  return t;
}

/** Its number in the landscape kernel (the index above). */
export const toyIndex = (name: string): number => TOYS.indexOf(toyFor(name));
