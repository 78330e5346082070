/**
 * The lab: a header that says what this is, tabs for the run view, the landscape and the presets, and
 * the notice a link gets when part of it could not be used. All state lives in the store (src/state).
 */
import { Suspense, lazy } from 'react';
import { dismissNotice, setLink } from '../state/actions';
import { useLab } from '../state/store';
import { Gallery } from './Gallery';
import { RunView } from './RunView';
import { StartView } from './StartView';

const Landscape = lazy(() => import('./LandscapeTab'));
const Sweep = lazy(() => import('./sweep/SweepTab'));

const TABS = [
  { id: 'start', label: 'Start here' },
  { id: 'run', label: 'Run' },
  { id: 'landscape', label: 'Landscape' },
  { id: 'sweep', label: 'Sweep' },
  { id: 'gallery', label: 'Presets' },
] as const;

export function App() {
  const view = useLab((s) => s.view);
  const notice = useLab((s) => s.notice);
  const hide = useLab((s) => s.hide);
  return (
    <div className="app">
      <header>
        <h1>Low-Rank Lab</h1>
        {!hide.includes('intro') && view !== 'start' && (
          <p className="lead">
            Distributed low-rank matrix factorization: J nodes each hold a copy Uʲ of a shared factor and a private
            block Vⱼ, mix Uʲ with their neighbours and take gradient steps (DGD+LOCAL). With a fixed step it reaches
            <b> exact consensus and a global optimum</b> (R3). Classical DGD with a fixed step stalls short of consensus
            when the nodes&rsquo; objectives share no minimiser (R4); on noiseless factorization it gets there too, only
            slower. The landscape tab shows why gradient descent escapes saddles.
          </p>
        )}
        <nav role="tablist" aria-label="views">
          {TABS.filter((t) => !hide.includes(`tab-${t.id}`)).map((t) => (
            <button key={t.id} role="tab" aria-selected={view === t.id} className={view === t.id ? 'active' : ''} onClick={() => setLink({ view: t.id })}>
              {t.label}
            </button>
          ))}
        </nav>
      </header>
      {notice.length > 0 && (
        <div className="notice" role="alert">
          <p>Parts of this link could not be used; the lab opened with defaults for them:</p>
          <ul>{notice.map((n) => <li key={n}>{n}</li>)}</ul>
          <button onClick={dismissNotice}>Dismiss</button>
        </div>
      )}
      <main>
        {view === 'start' && <StartView />}
        {view === 'run' && <RunView />}
        {view === 'landscape' && (
          <Suspense fallback={<p>loading the landscape…</p>}>
            <Landscape />
          </Suspense>
        )}
        {view === 'sweep' && (
          <Suspense fallback={<p>loading the sweep view…</p>}>
            <Sweep />
          </Suspense>
        )}
        {view === 'gallery' && <Gallery />}
      </main>
    </div>
  );
}
