/**
 * A preset's picture for the gallery: the metric its claims read first, over the iterations of each run the
 * claims read, on a log scale — drawn from the runs `lowrank-lab check` makes, so the picture is what the
 * runs show. Small, text-only SVG with coordinates rounded to 0.1 px: the same runs give the same bytes,
 * which `npm test` compares against the shipped file (public/presets/pictures/).
 */
import type { ClaimRun, ClaimSweep, ClaimSweepCell } from './claims';
import { type Claim, CELL_SPREAD_METRICS, type PeaksClaim } from './document';
import { topIndices } from './stocks';
import { log10 } from './fmath';

const W = 240, H = 96, PAD = 6;
/** the main run dark and solid, comparison runs in the charts' colours, dashed */
const COLORS = ['#1f2a44', '#d95f02', '#7570b3', '#1b9e77', '#e7298a', '#66a61e', '#e6ab02', '#a6761d'];

/** Metrics with a sign (λ_min): a log scale cannot draw them. */
const SIGNED = new Set(['curvature']);

/** The metric a picture draws: the first one a claim reads that a log scale can draw (objective otherwise). */
export function pictureMetric(claims: readonly Claim[]): string {
  for (const c of claims) {
    const m = 'metric' in c ? c.metric : 'left' in c ? c.left.metric : null;
    if (m && !SIGNED.has(m)) return m;
  }
  return 'objective';
}

const r1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

/** The SVG of `metric` for the runs in `order` (the first is the document's own run). */
export function claimsPicture(metric: string, runs: ReadonlyMap<string, ClaimRun>, order: readonly string[]): string {
  const series = order.map((name) => {
    const t = runs.get(name)?.trace as unknown as Record<string, number[]> | undefined;
    const xs = t?.iteration ?? [], ys = t?.[metric] ?? [];
    return xs.map((x, i) => [x, ys[i]] as const).filter(([, y]) => Number.isFinite(y) && y > 0).map(([x, y]) => [x, log10(y)] as const);
  });
  const all = series.flat();
  const title = `${metric} against the iteration (log scale), ${order.length === 1 ? 'one run' : `${order.length} runs`}`;
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${title}">`;
  if (!all.length) return `${head}<title>${title}</title></svg>\n`;
  const xMax = Math.max(1, ...all.map(([x]) => x));
  let lo = Math.min(...all.map(([, y]) => y)), hi = Math.max(...all.map(([, y]) => y));
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const sx = (x: number) => PAD + (x / xMax) * (W - 2 * PAD), sy = (y: number) => PAD + ((hi - y) / (hi - lo)) * (H - 2 * PAD);
  const lines = series.map((s, k) => {
    if (!s.length) return '';
    const d = s.map(([x, y], i) => `${i ? 'L' : 'M'}${r1(sx(x))} ${r1(sy(y))}`).join('');
    return `<path d="${d}" fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="${k ? 1.5 : 2}"${k ? ' stroke-dasharray="4 3"' : ''}/>`;
  });
  // reversed: the main run on top
  return `${head}<title>${title}</title><rect width="${W}" height="${H}" fill="#fbfbfd"/>${lines.reverse().join('')}</svg>\n`;
}

/** The metric a sweep's picture colours its cells by: the first outcome over seeds its claims read (objective otherwise). */
export function sweepPictureMetric(claims: readonly Claim[]): string {
  const spread = CELL_SPREAD_METRICS as readonly string[];
  for (const c of claims) {
    const m = 'metric' in c ? c.metric : 'left' in c ? c.left.metric : null;
    if (m && spread.includes(m)) return m;
  }
  return 'objective';
}

/** A light-to-dark ramp (ColorBrewer YlGnBu, 7 classes): small values light, large values dark. */
const RAMP = ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'];
const NONE = '#d9d9d9';

/**
 * A sweep preset's picture: its cells as a grid (x across, y up), each coloured by log₁₀ of the median of
 * `metric` over its seeds on one scale from the smallest to the largest cell; a cell without the metric (every
 * seed diverged) grey. Drawn from the cells `check` computes, so, like the runs' pictures, the same sweep
 * gives the same bytes.
 */
export function sweepPicture(metric: string, sweep: ClaimSweep): string {
  const nx = sweep.x.values.length, ny = sweep.y ? sweep.y.values.length : 1;
  const value = (c: ClaimSweepCell): number | null => {
    const s = (c as unknown as Record<string, { median: number } | null | undefined>)[metric];
    return s && Number.isFinite(s.median) && s.median > 0 ? log10(s.median) : null;
  };
  const logs = sweep.cells.map(value).filter((v): v is number => v !== null);
  const title = `${metric} (median over seeds, log scale) in each cell of the sweep, ${nx} × ${ny}`;
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${title}">`;
  const lo = logs.length ? Math.min(...logs) : 0, hi = logs.length ? Math.max(...logs) : 1;
  const cw = (W - 2 * PAD) / nx, ch = (H - 2 * PAD) / ny;
  const rects = sweep.cells.map((c) => {
    const v = value(c);
    const t = v === null ? -1 : hi - lo < 1e-12 ? 0.5 : (v - lo) / (hi - lo);
    const fill = t < 0 ? NONE : RAMP[Math.min(RAMP.length - 1, Math.floor(t * RAMP.length))];
    return `<rect x="${r1(PAD + c.xi * cw)}" y="${r1(H - PAD - (c.yi + 1) * ch)}" width="${r1(cw - 1)}" height="${r1(ch - 1)}" fill="${fill}"/>`;
  });
  return `${head}<title>${title}</title><rect width="${W}" height="${H}" fill="#fbfbfd"/>${rects.join('')}</svg>\n`;
}

/** The first peaks claim of a document (its picture draws that series), or null. */
export function picturePeaks(claims: readonly Claim[]): PeaksClaim | null {
  return (claims.find((c) => 'peaks' in c) as PeaksClaim | undefined) ?? null;
}

/**
 * A peaks preset's picture: its run's series (the heterogeneity index of the stock case study) as one bar
 * per window from 0, event windows orange and the others grey, with a dark mark over each of the `top`
 * largest — what the claim counts. Drawn from the run `check` makes.
 */
export function peaksPicture(c: PeaksClaim, runs: ReadonlyMap<string, ClaimRun>): string {
  const s = runs.get(c.run)?.series?.[c.peaks];
  const title = `the ${c.peaks} index per window (event windows orange), the ${c.top} largest marked`;
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${title}">`;
  if (!s || !s.values.length || !s.values.every(Number.isFinite)) return `${head}<title>${title}</title></svg>\n`;
  const n = s.values.length, hi = Math.max(...s.values) || 1;
  const bw = (W - 2 * PAD) / n, top = new Set(topIndices(s.values, c.top));
  const bars = s.values.map((v, i) => {
    const h = (v / hi) * (H - 2 * PAD - 6), x = PAD + i * bw;
    const bar = `<rect x="${r1(x)}" y="${r1(H - PAD - h)}" width="${r1(Math.max(0.5, bw - 1))}" height="${r1(h)}" fill="${s.events?.[i] ? '#d95f02' : '#9aa3b5'}"/>`;
    return top.has(i) ? `${bar}<rect x="${r1(x)}" y="${r1(H - PAD - h - 4)}" width="${r1(Math.max(0.5, bw - 1))}" height="2" fill="#1f2a44"/>` : bar;
  });
  return `${head}<title>${title}</title><rect width="${W}" height="${H}" fill="#fbfbfd"/>${bars.join('')}</svg>\n`;
}
