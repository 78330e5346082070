/** The landscape view bound to the store (its settings travel in the link like everything else). */
import { useEffect, useState } from 'react';
import type { LandscapeParams } from '../core/toy';
import { landscapeDevice } from '../engine/landscape-device';
import { setLandscape } from '../state/actions';
import { useLab } from '../state/store';
import { LandscapeView } from './landscape/LandscapeView';

export default function LandscapeTab() {
  const params = useLab((s) => s.landscape);
  const [gpu, setGpu] = useState<GPUDevice | null>(null);
  useEffect(() => {
    let live = true;
    void landscapeDevice().then((d) => live && setGpu(d));
    return () => {
      live = false;
    };
  }, []);
  return <LandscapeView params={params} onChange={(p: LandscapeParams) => setLandscape(p)} gpu={gpu} />;
}
