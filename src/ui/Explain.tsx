/** The update rule being run, typeset with KaTeX (loaded after first paint), with the current numbers. */
import { memo, useEffect, useState } from 'react';

type Katex = typeof import('katex').default;
let katexLoading: Promise<Katex> | null = null;
const loadKatex = () => (katexLoading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([k]) => k.default));

const RULES: Record<string, string> = {
  'dgd-local': String.raw`\begin{aligned}U^j &\leftarrow \textstyle\sum_i \tilde w_{ji} U^i - 2\mu\,(U^j V_j^\top - Y_j)\,V_j\\ V_j &\leftarrow V_j - 2\mu\,(U^j V_j^\top - Y_j)^\top U^j\end{aligned}`,
  dgd: String.raw`\begin{aligned}U^j &\leftarrow \textstyle\sum_i \tilde w_{ji} U^i - 2\mu\,(U^j V_j^{(j)\top} - Y_j)\,V^{(j)}_j\\ V^{(j)} &\leftarrow \textstyle\sum_i \tilde w_{ji} V^{(i)} - 2\mu\,S_j^\top (U^j V_j^{(j)\top} - Y_j)^\top U^j\end{aligned}`,
  gd: String.raw`\begin{aligned}U &\leftarrow U - 2\mu\,(UV^\top - Y)\,V\\ V &\leftarrow V - 2\mu\,(UV^\top - Y)^\top U\end{aligned}`,
  ls: String.raw`x^j \leftarrow \textstyle\sum_i \tilde w_{ji} x^i - \mu\,A_j^\top (A_j x^j - b_j)`,
  // sensing / completion / RPCA under DGD+LOCAL (GD: J = 1): G_j is the data term's gradient in X
  measured: String.raw`\begin{aligned}U^j &\leftarrow \textstyle\sum_i \tilde w_{ji} U^i - \mu\,\big[G_j V_j + \lambda U^j B_j\big]\\ V_j &\leftarrow V_j - \mu\,\big[G_j^\top U^j - \lambda V_j B_j\big],\quad B_j = U^{j\top}U^j - V_j^\top V_j\end{aligned}`,
};

/** G_j for each measured problem (SPEC §5.4, §6.1, §6.2) */
const MEASURED_G: Record<string, string> = {
  sensing: 'Gⱼ = 𝒜ⱼ*(𝒜ⱼ(UʲVⱼᵀ) − bⱼ): the node’s measurement residual mapped back by the adjoint of its own operator.',
  completion: 'Gⱼ = P_Ω(UʲVⱼᵀ − Mⱼ)/p: the residual on the node’s observed entries only (plus the gradient of Q when it is on).',
  rpca: 'Gⱼ = UʲVⱼᵀ + Sⱼ − Mⱼ with Sⱼ re-estimated every step: the residual’s entries that are largest in both their row and their column, clipped to ±b.',
};

const WORDS: Record<string, string> = {
  'dgd-local': 'Each node averages its copy Uʲ with its neighbours’ and takes a gradient step on its own data; Vⱼ never leaves the node. This is exactly gradient descent on g = f + Σ wⱼᵢ‖Uʲ − Uⁱ‖² with wⱼᵢ = w̃ⱼᵢ/(4μ), whose critical points all have Uʲ equal: so a fixed step reaches exact consensus.',
  dgd: 'Classical DGD: every node keeps copies of U and of the whole V and mixes both. With a fixed step it only reaches a neighbourhood of consensus — compare it with DGD+LOCAL on the same problem.',
  gd: 'Centralized gradient descent on f = ‖UVᵀ − Y‖², the reference the distributed methods are measured against.',
  ls: 'Classical DGD on distributed least squares: with a fixed step the nodes stop at a disagreement that shrinks like μ².',
};

export const Explain = memo(function Explain({ algorithm, kind, mu, omega, J }: { algorithm: string; kind: string; mu: number | null; omega: number | null; J: number }) {
  const measured = kind === 'sensing' || kind === 'completion' || kind === 'rpca';
  const key = kind === 'least-squares' ? 'ls' : measured ? 'measured' : algorithm;
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void loadKatex().then((katex) => live && setHtml(katex.renderToString(RULES[key] ?? RULES.gd, { displayMode: true, throwOnError: false })));
    return () => {
      live = false;
    };
  }, [key]);
  return (
    <section className="explain" aria-label="the update rule">
      <h3>What is running</h3>
      {html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <p className="plot-loading">typesetting…</p>}
      <p>{measured ? `${MEASURED_G[kind]} ${algorithm === 'gd' ? 'Centralized GD is the case J = 1.' : 'Each node mixes Uʲ with its neighbours and steps on its own data; Vⱼ stays private.'} λ = 0 drops the balancing term: distributed runs then reach exact consensus (Corollary III.1 of [S]).` : WORDS[key]}</p>
      <p className="numbers">
        {mu !== null && <>μ = {mu.toPrecision(3)}, </>}J = {J}{omega !== null && <>, ω = max_j Σ_(i≠j) w̃ⱼᵢ = {omega.toFixed(3)}</>}
      </p>
    </section>
  );
});
