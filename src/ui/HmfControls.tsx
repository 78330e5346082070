/**
 * The settings of an HMF experiment (SPEC §7): the planted model, the video demo or the stock case study
 * (a model market, or prices the user brings), the ranks r₁ and r₂,
 * the method (Algorithm 1, or its rivals JIVE and perPCA), η, β and the correction switch (off = the
 * ablation R18). Ids match the link's keys, so `hide=` works
 * as for the other controls.
 */
import { memo } from 'react';
import type { ExperimentInput } from '../core/experiment';
import { ALGORITHM_LABELS, type AlgorithmName } from '../core/document';
import { editExperiment } from '../state/actions';
import { useLab } from '../state/store';
import { Control, NumberInput, useRefsToggle } from './Control';
import { RunSettings } from './RunSettings';
import { PricesUpload } from './problems/PricesUpload';
import { VideoUpload } from './problems/VideoUpload';
import { RatingsUpload } from './problems/RatingsUpload';
import { ProblemSwitch } from './ProblemSwitch';
import type { HaeOptions } from '../core/hae-options';
import { HAE_DEFAULTS } from '../core/hae-build';

type P = Record<string, unknown>;

const HMF_METHODS = ['hmf', 'jive', 'perpca', 'hae'] as const satisfies readonly AlgorithmName[];

/**
 * The algorithm block for another method: the options only Algorithm 1 reads are dropped (the rivals' schema
 * refuses them), and HAE's (algorithm.hae) for any other; HAE takes AdamW's η as a number, so a step rule
 * becomes η = 0.01. Its networks' options (src/core/hae-options.ts) have their own fields below (HaeFields).
 */
function withMethod(a: ExperimentInput['algorithm'], name: string): ExperimentInput['algorithm'] {
  const next = { ...a, name } as ExperimentInput['algorithm'] & { beta?: unknown; correction?: unknown; hae?: unknown };
  if (name !== 'hmf') {
    delete next.beta;
    delete next.correction;
  }
  if (name !== 'hae') delete next.hae;
  else if (typeof next.stepsize !== 'number') next.stepsize = 0.01;
  return next;
}

/** What one iteration of each method is (the methods' own descriptions in src/core/problems/hmf.ts). */
const ROUND_HELP: Record<string, string> = {
  hmf: 'Each round: correction, gradient step, server average.',
  jive: 'Each sweep: the joint part by a truncated SVD of all sources, then each source\'s individual part.',
  perpca: 'Each round: a gradient-ascent step per source, retraction onto orthonormal columns, server average.',
  hae: 'Each round: an AdamW step per source on its masked loss, then the server averages the shared encoder and the decoder.',
};

/** HAE's networks (algorithm.hae, src/core/hae-options.ts), with the defaults a document that leaves them out gets. */
function HaeFields({ hae, edit }: { hae: HaeOptions; edit: (f: (h: HaeOptions) => HaeOptions) => void }) {
  const hidden = (hae.hidden ?? HAE_DEFAULTS.hidden).join(',');
  const commitHidden = (t: string) => {
    const x = t.trim();
    const widths = x === '' ? [] : x.split(',').map((w) => Number(w.trim()));
    // a width that is no whole number is left for the document's check to name (editExperiment shows it)
    if (x !== hidden) edit((h) => ({ ...h, hidden: widths }));
  };
  return (
    <>
      <Control id="hhid" label="hidden layers" help="Widths of the encoders' hidden layers, input side first (e.g. 32 or 32,16); the decoder mirrors them. Empty: linear encoders and decoder.">
        {(id) => <input id={id} type="text" size={10} defaultValue={hidden} key={hidden} onBlur={(e) => commitHidden(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && commitHidden(e.currentTarget.value)} />}
      </Control>
      <Control id="hact" label="activation σ" help="After every layer but the last of each network: ReLU, or none (linear).">
        {(id) => (
          <select id={id} value={hae.activation ?? HAE_DEFAULTS.activation} onChange={(e) => edit((h) => ({ ...h, activation: e.target.value as HaeOptions['activation'] }))}>
            <option value="relu">ReLU</option>
            <option value="none">none</option>
          </select>
        )}
      </Control>
      <Control id="hk" label="groups k" help="The fold F cuts an r-vector into k vectors of r/k; the unique embedding is deflated against the shared one group by group (k divides r).">
        {(id) => <NumberInput id={id} integer min={1} max={64} value={hae.groups ?? HAE_DEFAULTS.groups} onChange={(x) => edit((h) => ({ ...h, groups: x }))} />}
      </Control>
      <Control id="hwd" label="weight decay λ" help="AdamW's decoupled weight decay (the regulariser R(i) of Algorithm 2).">
        {(id) => <NumberInput id={id} min={0} value={hae.weightDecay ?? HAE_DEFAULTS.weightDecay} onChange={(x) => edit((h) => ({ ...h, weightDecay: x }))} />}
      </Control>
    </>
  );
}

export const HmfControls = memo(function HmfControls() {
  const exp = useLab((s) => s.experiment);
  const upload = useLab((s) => s.upload);
  const p = exp.problem as P;
  const g = p.generate as P | undefined;
  const v = p.video as P | undefined;
  const alg = exp.algorithm;
  const eta = alg.stepsize;
  const edit = (f: (d: { problem: P; algorithm: ExperimentInput['algorithm'] }) => void) => editExperiment((d) => f(d as never));
  const gen = (k: string) => (x: number) => edit((d) => { (d.problem.generate as P)[k] = x; });
  const vid = (k: string) => (x: number) => edit((d) => { (d.problem.video as P)[k] = x; });
  const st = p.stocks as P | undefined, pr = p.prices as P | undefined;
  const stk = (k: string) => (x: number) => edit((d) => { (d.problem.stocks as P)[k] = x; });

  const [refs, refsToggle] = useRefsToggle();
  // β, the correction switch and the start's scale are Algorithm 1's; JIVE has no step either
  const ownMethod = alg.name === 'hmf';
  return (
    <form id="settings" className={refs ? 'controls-panel show-refs' : 'controls-panel'} onSubmit={(e) => e.preventDefault()} aria-label="HMF settings">
      {refsToggle}
      <fieldset>
        <legend>Sources</legend>
        <ProblemSwitch />
        {g && (
          <>
            <Control id="hN" label="sources N" help="Each source i holds Mᵢ = U_gV_(i),gᵀ + U_(i),lV_(i),lᵀ (+ noise).">
              {(id) => <NumberInput id={id} integer min={1} value={g.N as number} onChange={gen('N')} />}
            </Control>
            <Control id="hn1" label="n₁ (rows)" help="Rows of every Mᵢ; U_g and U_(i),l live in ℝ^n₁.">
              {(id) => <NumberInput id={id} integer min={1} value={g.n1 as number} onChange={gen('n1')} />}
            </Control>
            <Control id="hn2" label="n₂ (columns)" help="Columns of each Mᵢ.">
              {(id) => <NumberInput id={id} integer min={1} value={g.n2 as number} onChange={gen('n2')} />}
            </Control>
            <Control id="hnoise" label="noise σ" help="Gaussian noise added to every entry.">
              {(id) => <NumberInput id={id} min={0} value={(g.noise ?? 0) as number} onChange={gen('noise')} />}
            </Control>
            <Control id="hmiss" label="missing fraction" help="Entries of each Mᵢ removed at random; HMF fits only the observed ones (Table 2).">
              {(id) => <NumberInput id={id} min={0} max={0.99} value={(g.missing ?? 0) as number} onChange={gen('missing')} />}
            </Control>
            <Control id="hseed" label="data seed" help="The same seed rebuilds the same sources on any machine.">
              {(id) => <NumberInput id={id} integer min={0} value={g.seed as number} onChange={gen('seed')} />}
            </Control>
          </>
        )}
        {v && !v.data && (
          <>
            <Control id="vframes" label="frames" help="Each frame is one source; 7×7 patches are the rows of Mᵢ.">
              {(id) => <NumberInput id={id} integer min={2} max={240} value={(v.frames ?? 48) as number} onChange={vid('frames')} />}
            </Control>
            <Control id="vblobs" label="moving objects" help="Discs going round a circle over a static background.">
              {(id) => <NumberInput id={id} integer min={1} max={8} value={(v.blobs ?? 3) as number} onChange={vid('blobs')} />}
            </Control>
            <Control id="vseed" label="clip seed" help="Background texture, objects and the missing pixels.">
              {(id) => <NumberInput id={id} integer min={0} value={(v.seed ?? 0) as number} onChange={vid('seed')} />}
            </Control>
          </>
        )}
        {v && (
          <Control id="vmiss" label="missing pixels" help="Fraction of each frame's pixels removed at random (40 % in the paper).">
            {(id) => <NumberInput id={id} min={0} max={0.99} value={(v.missing ?? 0.4) as number} onChange={vid('missing')} />}
          </Control>
        )}
        {st && (
          <>
            <Control id="sstocks" label="stocks" help="Rows of every window Mᵢ (214 in [H] §6.3).">
              {(id) => <NumberInput id={id} integer min={2} value={(st.stocks ?? 200) as number} onChange={stk('stocks')} />}
            </Control>
            <Control id="sdays" label="trading days" help="Days of returns; the windows are the sources.">
              {(id) => <NumberInput id={id} integer min={4} value={(st.days ?? 1500) as number} onChange={stk('days')} />}
            </Control>
            <Control id="swin" label="window (days)" help="Days per source Mᵢ (30 in [H] §6.3); windows do not overlap.">
              {(id) => <NumberInput id={id} integer min={2} value={(st.window ?? 30) as number} onChange={stk('window')} />}
            </Control>
            <Control id="sevents" label="planted events" help="Short runs of days on which most stocks move together along a direction no factor has.">
              {(id) => <NumberInput id={id} integer min={0} value={(st.events ?? 4) as number} onChange={stk('events')} />}
            </Control>
            <Control id="ssize" label="event size" help="An event day's move in units of a stock's own daily noise (0: none).">
              {(id) => <NumberInput id={id} min={0} value={(st.eventSize ?? 3) as number} onChange={stk('eventSize')} />}
            </Control>
            <Control id="sseed" label="market seed" help="The same seed rebuilds the same market on any machine.">
              {(id) => <NumberInput id={id} integer min={0} value={(st.seed ?? 0) as number} onChange={stk('seed')} />}
            </Control>
          </>
        )}
        {pr && (
          <Control id="pwin" label="window (rows)" help="Rows of returns (days, or months for monthly prices) per source Mᵢ; windows do not overlap.">
            {(id) => <NumberInput id={id} integer min={2} value={(pr.window ?? 30) as number} onChange={(x) => edit((d) => { (d.problem.prices as P).window = x; })} />}
          </Control>
        )}
        <Control id="r1" label="shared rank r₁" help="Columns of U_g, common to all sources.">
          {(id) => <NumberInput id={id} integer min={1} value={p.sharedRank as number} onChange={(x) => edit((d) => { d.problem.sharedRank = x; })} />}
        </Control>
        <Control id="r2" label="unique rank r₂" help="Columns of each U_(i),l, orthogonal to U_g.">
          {(id) => <NumberInput id={id} integer min={1} value={p.uniqueRank as number} onChange={(x) => edit((d) => { d.problem.uniqueRank = x; })} />}
        </Control>
        {v && <VideoUpload />}
        {!!p.ratings && <RatingsUpload />}
        {(st || pr) && <PricesUpload />}
        {upload && <p className="help">Data: {upload.name}. Links cannot carry uploaded data — export the experiment JSON to share it.</p>}
      </fieldset>

      <fieldset>
        <legend>Method</legend>
        <Control id="alg" label="method" help="HMF's Algorithm 1, a rival of Table 2 (JIVE and perPCA read missing entries as zeros and run in float64 on the CPU), or HAE (Algorithm 2: auto-encoders, embedding length r = r₁ = r₂, AdamW with step η).">
          {(id) => (
            <select id={id} value={alg.name} onChange={(e) => edit((d) => {
              d.algorithm = withMethod(d.algorithm, e.target.value);
              // HAE's decoder reads the sum of two r-vectors: r₂ = r₁ (problems/hae-check.ts)
              if (e.target.value === 'hae') d.problem.uniqueRank = d.problem.sharedRank;
            })}>
              {HMF_METHODS.map((m) => <option key={m} value={m}>{ALGORITHM_LABELS[m]}</option>)}
            </select>
          )}
        </Control>
        {alg.name !== 'jive' && <Control id="mu" label={typeof eta === 'number' ? 'step η' : 'step factor c'} help={typeof eta === 'number' ? 'A fixed step (the ½-loss normalization of SPEC §7.2).' : 'η = c / maxᵢ‖Mᵢ‖₂².'}>
          {(id) => (
            <span className="row">
              <NumberInput id={id} min={0} value={typeof eta === 'number' ? eta : eta.c} onChange={(x) => edit((d) => { d.algorithm.stepsize = typeof eta === 'number' ? x : { rule: 'practical', c: x }; })} />
              <select aria-label="step size mode" value={typeof eta === 'number' ? 'fixed' : 'rule'} onChange={(e) => edit((d) => { d.algorithm.stepsize = e.target.value === 'fixed' ? 0.2 : { rule: 'practical', c: 0.5 }; })}>
                <option value="fixed">fixed η</option>
                <option value="rule">rule c/max‖Mᵢ‖₂²</option>
              </select>
            </span>
          )}
        </Control>}
        {ownMethod && <Control id="beta" label="β" help="Weight of ½β‖UᵀU − I‖² on U_g and each U_(i),l (7.2).">
          {(id) => <NumberInput id={id} min={0} value={alg.beta ?? 0.1} onChange={(x) => edit((d) => { d.algorithm.beta = x; })} />}
        </Control>}
        {ownMethod && <Control id="hcorr" label="correction step" help="Make U_(i),l orthogonal to U_g each round (7.5); off is the ablation R18.">
          {(id) => <input id={id} type="checkbox" checked={alg.correction !== false} onChange={(e) => edit((d) => { d.algorithm.correction = e.target.checked; })} />}
        </Control>}
        <Control id="K" label={alg.name === 'jive' ? 'sweeps' : 'rounds'} help={ROUND_HELP[alg.name] ?? ROUND_HELP.hmf}>
          {(id) => <NumberInput id={id} integer min={0} value={alg.iterations} onChange={(x) => edit((d) => { d.algorithm.iterations = x; })} />}
        </Control>
        <Control id="rec" label="record every" help="Metrics are computed every this many rounds.">
          {(id) => <NumberInput id={id} integer min={1} value={alg.recordEvery ?? Math.max(1, Math.ceil(alg.iterations / 1000))} onChange={(x) => edit((d) => { d.algorithm.recordEvery = x; })} />}
        </Control>
        {alg.name === 'hae' && <HaeFields hae={(alg as { hae?: HaeOptions }).hae ?? {}} edit={(f) => edit((d) => {
          const a = d.algorithm as { hae?: HaeOptions };
          a.hae = f({ ...(a.hae ?? {}) });
        })} />}
        {ownMethod && <Control id="iscale" label="initial scale" help="Every factor starts as scale·N(0,1) (0.01 in the authors' code).">
          {(id) => <NumberInput id={id} min={0} value={(exp.init as P | undefined)?.scale as number ?? 0.01} onChange={(x) => editExperiment((d) => { d.init = { ...(d.init ?? {}), scale: x }; })} />}
        </Control>}
      </fieldset>

      <RunSettings unit="rounds" tolLabel="stop at f̃ ≤ tol·‖M‖²" />
    </form>
  );
});
