/**
 * A sweep split into shards that any batch system runs (`sweep FILE --shard K/N --out part-K.csv`, one job
 * each) and merged afterwards (`merge part-*.csv --out sweep.csv`). Shard K of N runs the trials t with
 * t mod N = K − 1 (the split the CLI's worker threads use: cells of every cost spread over all shards). A
 * part holds its trials' outcomes, one CSV row each, under two comment lines that name the shard, the
 * engine and the document, so the merge aggregates exactly the trials the unsplit sweep would: numbers are
 * written as JavaScript's shortest round-trip text and read back bit for bit.
 */
import type { MetricsRow } from './metrics';
import type { TrialOutcome } from './sweep';

export interface PartHeader {
  /** 1 … count */
  index: number;
  count: number;
  engine: string;
  /** the sweep's experiment document, as JSON */
  document: string;
}

export interface Part {
  name: string;
  header: PartHeader;
  trials: TrialOutcome[];
}

const FIXED = ['cell', 'seed', 'stepsize', 'omega', 'bound', 'certifiedBound', 'scale', 'truthScale', 'iterationsToTolerance', 'diverged'] as const;
const FIRST = /^# lowrank-lab sweep part (\d+)\/(\d+), engine ([a-z0-9-]+)$/;
const DOC = '# document ';

export class PartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PartError';
  }
}

/** Parse "K/N" (1 ≤ K ≤ N ≤ 10 000). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= index && count <= 10_000)) throw new PartError(`--shard ${text}: give K/N with whole numbers 1 ≤ K ≤ N ≤ 10000 (shard K of N)`);
  return { index, count };
}

const text = (v: number | boolean | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** A part file: the header lines, then one row per trial (the final row's metrics as `final.<name>` columns). */
export function partCsv(h: PartHeader, trials: TrialOutcome[]): string {
  const keys: string[] = [];
  for (const t of trials) for (const k of Object.keys(t.final)) if (!keys.includes(k)) keys.push(k);
  const lines = [
    `# lowrank-lab sweep part ${h.index}/${h.count}, engine ${h.engine}`,
    `${DOC}${h.document}`,
    [...FIXED, ...keys.map((k) => `final.${k}`)].join(','),
  ];
  for (const t of trials) {
    const row = t.final as unknown as Record<string, number | undefined>;
    lines.push([...FIXED.map((k) => text(t[k])), ...keys.map((k) => text(row[k]))].join(','));
  }
  return lines.join('\n') + '\n';
}

function number(v: string, where: () => string): number {
  // Number('') is 0 and Number(' 1') is 1: only the texts partCsv writes are accepted
  if (!/^(-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|NaN|-?Infinity)$/.test(v)) throw new PartError(`${where()}: "${v}" is not a number`);
  return Number(v);
}

export function parsePart(content: string, name: string): Part {
  const lines = content.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const first = FIRST.exec(lines[0] ?? '');
  if (!first) throw new PartError(`${name} is not a sweep part (its first line should read "# lowrank-lab sweep part K/N, engine …"); write one with \`sweep FILE --shard K/N --out ${name}\``);
  const index = Number(first[1]), count = Number(first[2]);
  if (!(index >= 1 && index <= count)) throw new PartError(`${name}: shard ${index}/${count} does not exist`);
  if (!lines[1]?.startsWith(DOC)) throw new PartError(`${name}: line 2 should hold the sweep's document ("# document {…}")`);
  const document = lines[1].slice(DOC.length);
  const head = (lines[2] ?? '').split(',');
  if (FIXED.some((k, i) => head[i] !== k) || head.slice(FIXED.length).some((k) => !k.startsWith('final.'))) throw new PartError(`${name}: line 3 is not the part's column header`);
  const trials = lines.slice(3).map((line, r): TrialOutcome => {
    const cells = line.split(',');
    const where = (col?: string) => `${name}, line ${r + 4}${col ? `, ${col}` : ''}`;
    if (cells.length !== head.length) throw new PartError(`${where()}: ${cells.length} fields, the header has ${head.length}`);
    const get = (k: string) => cells[head.indexOf(k)];
    const num = (k: string) => number(get(k), () => where(k));
    const maybe = (k: string) => (get(k) === '' ? null : num(k));
    const diverged = get('diverged');
    if (diverged !== 'true' && diverged !== 'false') throw new PartError(`${where('diverged')}: "${diverged}" is neither true nor false`);
    const final: Record<string, number> = {};
    for (const k of head.slice(FIXED.length)) if (get(k) !== '') final[k.slice('final.'.length)] = num(k);
    return {
      cell: num('cell'), seed: num('seed'), stepsize: num('stepsize'), omega: maybe('omega'), bound: maybe('bound'), certifiedBound: maybe('certifiedBound'),
      scale: num('scale'), truthScale: maybe('truthScale'), iterationsToTolerance: maybe('iterationsToTolerance'), diverged: diverged === 'true',
      final: final as unknown as MetricsRow,
    };
  });
  return { name, header: { index, count, engine: first[3], document }, trials };
}

/**
 * The parts of one sweep as its trials, in the unsplit order. Refuses parts of different sweeps, a shard
 * given twice or missing, and trials that are not the sweep's (`expected` trials in all).
 */
export function mergeParts(parts: Part[], expected: (document: string) => number): { document: string; trials: TrialOutcome[]; engines: string[] } {
  if (!parts.length) throw new PartError('merge needs the part files of a sweep (merge part-*.csv --out sweep.csv)');
  const [p0] = parts;
  const count = p0.header.count;
  const seen = new Map<number, string>();
  for (const p of parts) {
    if (p.header.document !== p0.header.document) throw new PartError(`${p.name} and ${p0.name} are parts of different sweeps (their documents differ)`);
    if (p.header.count !== count) throw new PartError(`${p.name} is shard ${p.header.index}/${p.header.count} but ${p0.name} is one of ${count}`);
    if (seen.has(p.header.index)) throw new PartError(`shard ${p.header.index}/${count} is given twice (${seen.get(p.header.index)} and ${p.name})`);
    seen.set(p.header.index, p.name);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length) throw new PartError(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} ${missing.length > 1 ? 'are' : 'is'} missing`);
  const trials = parts.flatMap((p) => p.trials).sort((a, b) => a.cell - b.cell || a.seed - b.seed);
  const want = expected(p0.header.document);
  const keys = new Set(trials.map((t) => `${t.cell}/${t.seed}`));
  if (trials.length !== want || keys.size !== want) throw new PartError(`the parts hold ${keys.size} distinct runs${trials.length !== keys.size ? ` (${trials.length - keys.size} repeated)` : ''}; the sweep has ${want}`);
  return { document: p0.header.document, trials, engines: [...new Set(parts.map((p) => p.header.engine))] };
}
