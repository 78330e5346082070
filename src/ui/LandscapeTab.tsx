/** The landscape view bound to the store (its settings travel in the link like everything else). */
import { useEffect, useState } from 'react';
import type { LandscapeParams } from '../core/toy';
import { type GridEvaluator, landscapeGridEvaluator, landscapeGridReason } from '../state/engines';
import { setLandscape } from '../state/actions';
import { useLab } from '../state/store';
import { LandscapeView } from './landscape/LandscapeView';

export default function LandscapeTab() {
  const params = useLab((s) => s.landscape);
  const [gpu, setGpu] = useState<GridEvaluator | null>(null);
  const [cpuReason, setCpuReason] = useState('');
  useEffect(() => {
    let live = true;
    void landscapeGridEvaluator().then((f) => live && setGpu(() => f));
    void landscapeGridReason().then((r) => live && setCpuReason(r));
    return () => {
      live = false;
    };
  }, []);
  return <LandscapeView params={params} onChange={(p: LandscapeParams) => setLandscape(p)} gpu={gpu} cpuReason={cpuReason} />;
}
