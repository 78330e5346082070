// Dev harness for the Landscape view: mounts <LandscapeView> with local state, outside the app. Open
// /test/browser/landscape.html on the Vite dev server; `?gpu` computes the grid with WebGPU, `?params=`
// takes a JSON LandscapeParams (defaults fill the rest). The current params are on window.landscapeParams.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { type LandscapeParams, parseLandscapeParams } from '../../src/core/toy';
import { type GridEvaluator, landscapeGridEvaluator } from '../../src/engine/landscape-device';
import { LandscapeView } from '../../src/ui/landscape/LandscapeView';

const query = new URLSearchParams(location.search);
const initial = parseLandscapeParams(JSON.parse(query.get('params') ?? '{}'));

function Harness() {
  const [params, setParams] = useState<LandscapeParams>(initial);
  const [gpu, setGpu] = useState<GridEvaluator | null>(null);
  useEffect(() => {
    (window as unknown as { landscapeParams: LandscapeParams }).landscapeParams = params;
  }, [params]);
  useEffect(() => {
    if (!query.has('gpu')) return;
    void landscapeGridEvaluator().then((f) => (f ? setGpu(() => f) : console.warn('no WebGPU')));
  }, []);
  return <LandscapeView params={params} onChange={setParams} gpu={gpu} />;
}

createRoot(document.getElementById('root')!).render(<StrictMode><Harness /></StrictMode>);
