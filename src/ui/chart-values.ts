/**
 * The values a metric chart draws. On a log axis a negative value (the optimality gap of noisy data, where
 * f drops below the best rank-r fit's value) cannot be drawn: it is drawn as |value| and the chart says so
 * (`negative`), rather than vanishing. Non-finite values (a diverged run) and zeros on a log axis are gaps.
 */
export function chartValues(values: readonly (number | undefined)[], scale: number, linear = false): { y: (number | null)[]; negative: boolean } {
  let negative = false;
  const y = values.map((v) => {
    if (v === undefined || !Number.isFinite(v)) return null;
    if (linear) return v / scale;
    if (v === 0) return null;
    if (v < 0) negative = true;
    return Math.abs(v) / scale;
  });
  return { y, negative };
}

/** The chart title when some value is drawn as its absolute value. */
export const NEGATIVE_NOTE = ' (|value|: negative here)';
