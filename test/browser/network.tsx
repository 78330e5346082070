// A page of NetworkViews for looking at the drawing by eye (ring, star, grid, torus, Erdős–Rényi, a
// 256-node ring): open /test/browser/network.html under `npm run dev`, or screenshot it with
// `npx tsx test/browser/network-shot.ts test-results/network.png`.
import { createRoot } from 'react-dom/client';
import { type GraphSpec, buildGraph, lazy, mixingMatrix } from '../../src/core/network';
import { Rng } from '../../src/core/rng';
import { NetworkView } from '../../src/ui/NetworkView';
import '../../src/ui/app.css';

const panels: { title: string; spec: GraphSpec; measured: boolean }[] = [
  { title: 'ring 10', spec: { topology: 'ring', J: 10 }, measured: true },
  { title: 'star 8', spec: { topology: 'star', J: 8 }, measured: true },
  { title: 'grid 4×5', spec: { topology: 'grid', J: 20, rows: 4, cols: 5 }, measured: true },
  { title: 'torus 4×5 (not measured yet)', spec: { topology: 'torus', J: 20, rows: 4, cols: 5 }, measured: false },
  { title: 'Erdős–Rényi 30, p = 0.15', spec: { topology: 'erdos-renyi', J: 30, p: 0.15, seed: 3 }, measured: true },
  { title: 'ring 256', spec: { topology: 'ring', J: 256 }, measured: true },
  { title: 'Erdős–Rényi 256, p = 0.03', spec: { topology: 'erdos-renyi', J: 256, p: 0.03, seed: 1 }, measured: true },
  { title: 'path 12', spec: { topology: 'path', J: 12 }, measured: true },
];

function Panel({ title, spec, measured }: (typeof panels)[number]) {
  const Wm = lazy(mixingMatrix(buildGraph(spec), 'metropolis'));
  const W = Array.from({ length: spec.J }, (_, i) => Array.from(Wm.data.subarray(i * spec.J, (i + 1) * spec.J)));
  // disagreement spread over six decades, the largest at the nodes farthest from node 0 in index
  const rng = new Rng(spec.J);
  const dis = measured ? W.map((_, j) => 10 ** (-8 + 6 * Math.sin((Math.PI * j) / spec.J) ** 2 + 0.3 * rng.uniform())) : null;
  return (
    <section style={{ display: 'inline-block', verticalAlign: 'top', margin: 6 }}>
      <h3 style={{ margin: '0 0 4px', fontSize: 14 }}>{title}</h3>
      <NetworkView W={W} disagreement={dis} topology={spec.topology} rows={spec.rows} cols={spec.cols} width={300} height={300} />
    </section>
  );
}

createRoot(document.getElementById('root')!).render(<>{panels.map((p) => <Panel key={p.title} {...p} />)}</>);
document.title = 'ready';
