/** The run view's saddle / curvature / slice section: start and escape controls, and the landscape slice. */
import { useLab } from '../../state/store';
import { CurvatureChart } from './CurvatureChart';
import { SaddleControls } from './SaddleControls';
import { SlicePanel } from './SlicePanel';
import './curvature.css';

export function CurvatureTrace() {
  const runs = useLab((s) => s.runs);
  const activeId = useLab((s) => s.activeId);
  const live = useLab((s) => s.status === 'running');
  return <CurvatureChart runs={runs} activeId={activeId} live={live} />;
}

export function CurvatureSection() {
  const hide = useLab((s) => s.hide);
  if (hide.includes('saddles')) return null;
  return (
    <div className="curv-section">
      <SaddleControls />
      <SlicePanel />
    </div>
  );
}
