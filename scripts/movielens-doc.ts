/**
 * An experiment document for MovieLens-100k itself ([H] §6.4, Table 4) from the two files as GroupLens
 * distributes them (the licence does not allow shipping them; bring your own copy of ml-100k):
 *
 *   npx tsx scripts/movielens-doc.ts path/to/u.data path/to/u.item > movielens.json
 *   npm run cli -- run movielens.json            (HMF; its trace holds testRmse, trainRmse, baselineRmse)
 *
 * The document is public/presets/ratings.json's settings with the synthetic data replaced by the files'
 * ratings (10 genre clusters as in [H]) and its comparison run, the lab's completion at rank 5 on the same
 * split; `check` needs claims, which depend on the measurements, so the document states none.
 */
import { readFileSync } from 'node:fs';
import { parseMovieLens, ratingsTensors } from '../src/core/ratings';

const [data, item] = process.argv.slice(2);
if (!data || !item) {
  process.stderr.write('usage: npx tsx scripts/movielens-doc.ts u.data u.item > movielens.json\n');
  process.exit(2);
}
const d = parseMovieLens(readFileSync(data, 'latin1'), readFileSync(item, 'latin1'));
const preset = JSON.parse(readFileSync(new URL('../public/presets/ratings.json', import.meta.url), 'utf8'));
const doc = {
  format: 'lowrank-lab/experiment', version: 1,
  title: 'MovieLens-100k: HMF against matrix completion (Table 4 of [H])',
  description: `${d.rating.length} ratings of ${d.movies} movies by ${d.users} users (${data}, ${item}); 10 genre clusters, 10 % of each held out.`,
  problem: { ...preset.problem, ratings: { given: { ...ratingsTensors(d), name: 'u.data + u.item' }, clusters: 10, testFraction: 0.1, seed: 1 } },
  algorithm: preset.algorithm,
  init: preset.init,
  compare: preset.compare.filter((c: { name: string }) => c.name === 'completion, rank 5'),
};
process.stdout.write(`${JSON.stringify(doc)}\n`);
