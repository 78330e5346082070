/** The run view's saddle / curvature / slice section: start and escape controls, and the landscape slice. */
import { memo } from 'react';
import { useLab } from '../../state/store';
import { CurvatureChart } from './CurvatureChart';
import { SaddleControls } from './SaddleControls';
import { SlicePanel } from './SlicePanel';
import './curvature.css';

/** Memoised, like the other panels: the run view's 4 Hz re-render reaches it only through the store. */
export const CurvatureTrace = memo(function CurvatureTrace() {
  const runs = useLab((s) => s.runs);
  const activeId = useLab((s) => s.activeId);
  const live = useLab((s) => s.status === 'running');
  return <CurvatureChart runs={runs} activeId={activeId} live={live} />;
});

export const CurvatureSection = memo(function CurvatureSection() {
  const hide = useLab((s) => s.hide);
  if (hide.includes('saddles')) return null;
  return (
    <div className="curv-section">
      <SaddleControls />
      <SlicePanel />
    </div>
  );
});
