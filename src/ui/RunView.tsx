/** The run view: settings on the left; run controls, charts, network, theory and explanation on the right. */
import { useRef } from 'react';
import { activeRun, useLab } from '../state/store';
import { About } from './About';
import { Charts, type ChartRefs } from './Charts';
import { CompareMethods } from './CompareMethods';
import { isNodeKind, kindOf } from '../core/problems/registry';
import { ProblemView } from './problems/registry';
import { CurvatureSection, CurvatureTrace } from './curvature/CurvatureSection';
import { Explain } from './Explain';
import { ImageView } from './problems/ImageView';
import { NetworkView } from './NetworkView';
import { RunBar, useShortcuts } from './RunBar';
import { StepBar } from './StepBar';
import { METRIC_COLORS } from './theme';
import { SettingsForm } from './SettingsForm';

/** N, the number of HMF sources (frames of the video demo): the J of a kind with its own method. */
function hmfSources(exp: { problem: unknown }): number {
  const p = exp.problem as { generate?: { N: number }; sources?: unknown[]; video?: { frames?: number; data?: { shape: number[] } } };
  return p.generate?.N ?? p.sources?.length ?? p.video?.data?.shape[0] ?? p.video?.frames ?? 48;
}

export function RunView() {
  useShortcuts();
  const charts = useRef<ChartRefs | null>(null);
  const exp = useLab((s) => s.experiment);
  const r = useLab(activeRun);
  const hide = useLab((s) => s.hide);
  const kind = (exp.problem as { kind: string }).kind;
  // a kind with its own method (HMF): its own view, no curvature section, no ω, J = its sources
  const own = !isNodeKind(kindOf(kind)!);
  const net = exp.network as { J?: number; topology?: string; rows?: number; cols?: number } | undefined;
  return (
    <div className={hide.includes('settings') ? 'runview no-settings' : 'runview'}>
      {!hide.includes('settings') && <SettingsForm kind={kind} />}
      <div className="main">
        <About claims />
        <RunBar charts={charts} />
        <Charts refs={charts} />
        <CompareMethods />
        <ProblemView kind={kind} />
        <CurvatureTrace />
        <div className="side-by-side">
          {r?.W && r.W.length > 1 && !hide.includes('network') && (
            <section className="network" aria-label="network">
              <h3><span className="swatch-dot" style={{ background: METRIC_COLORS.consensusError }} aria-hidden="true" />Network: nodes coloured by disagreement</h3>
              <NetworkView W={r.W} disagreement={r.extras?.disagreement ?? null} reference={r.extras?.average} topology={net?.topology} rows={net?.rows} cols={net?.cols} />
            </section>
          )}
          {r?.extras?.reconstruction && <ImageView data={r.experiment} reconstruction={r.extras.reconstruction} />}
          {r?.theory && r.stepsize !== null && !hide.includes('theory') && <StepBar mu={r.stepsize} theory={r.theory} />}
        </div>
        {!own && <CurvatureSection />}
        {!hide.includes('explain') && <Explain algorithm={exp.algorithm.name} kind={(exp.problem as { kind: string }).kind} mu={r?.stepsize ?? null} omega={own ? null : r?.omega ?? null} J={own ? hmfSources(exp) : net?.J ?? 1} />}
      </div>
    </div>
  );
}
