/** The update rule being run, typeset with KaTeX (loaded after first paint), with the current numbers. */
import { memo, useEffect, useState } from 'react';
import { kindOf } from '../core/problems/registry';

type Katex = typeof import('katex').default;
let katexLoading: Promise<Katex> | null = null;
const loadKatex = () => (katexLoading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([k]) => k.default));

export const Explain = memo(function Explain({ algorithm, kind, mu, omega, J }: { algorithm: string; kind: string; mu: number | null; omega: number | null; J: number }) {
  // the kind's update rule for this algorithm, in TeX and in words (src/core/problems)
  const rule = kindOf(kind)?.explain?.(algorithm) ?? { tex: '', words: '' };
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void loadKatex().then((katex) => live && setHtml(katex.renderToString(rule.tex, { displayMode: true, throwOnError: false })));
    return () => {
      live = false;
    };
  }, [rule.tex]);
  return (
    <section className="explain" aria-label="the update rule">
      <h3>What is running</h3>
      {html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <p className="plot-loading">typesetting…</p>}
      <p>{rule.words}</p>
      <p className="numbers">
        {mu !== null && <>μ = {mu.toPrecision(3)}, </>}J = {J}{omega !== null && <>, ω = max_j Σ_(i≠j) w̃ⱼᵢ = {omega.toFixed(3)}</>}
      </p>
    </section>
  );
});
