/** Presets as links: the paper reproductions and the classroom scenarios. */
import { useEffect, useState } from 'react';

/**
 * `variants`: the same setup with another parameter value (e.g. one file per λ), as small links under the card;
 * `picture`: the preset whose picture the card shows (presets/pictures/<id>.svg, drawn by `lowrank-lab check
 * --pictures` from the runs its claims read).
 */
interface Item { id: string; link: string; title: string; text: string; picture?: string; variants?: { label: string; link: string }[] }
interface Index { reproductions: Item[]; classroom: Item[]; sweeps?: Item[] }

export function Gallery() {
  const [index, setIndex] = useState<Index | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch(`${import.meta.env.BASE_URL}presets/index.json`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(setIndex, (e: Error) => setError(`The preset list could not be loaded: ${e.message}`));
  }, []);
  if (error) return <p className="error">{error}</p>;
  if (!index) return <p>loading presets…</p>;
  const cards = (items: Item[]) => (
    <ul className="cards">
      {items.map((it) => (
        <li key={it.id} className="card">
          {it.picture && (
            <a href={it.link} tabIndex={-1} aria-hidden="true">
              <img className="card-picture" src={`${import.meta.env.BASE_URL}presets/pictures/${it.picture}.svg`} alt="" width={240} height={96} loading="lazy" />
            </a>
          )}
          <a href={it.link}><b>{it.title}</b></a>
          <p>{it.text}</p>
          {it.variants && (
            <p className="variants">
              {it.variants.map((v) => <a key={v.link} href={v.link}>{v.label}</a>)}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
  return (
    <section className="gallery" aria-label="presets">
      <h2>Reproductions of the papers</h2>
      {cards(index.reproductions)}
      <h2>Classroom scenarios</h2>
      {cards(index.classroom)}
      {index.sweeps && (
        <>
          <h2>Sweeps and phase diagrams</h2>
          {cards(index.sweeps)}
        </>
      )}
      <p className="help">Every preset is a link: copy it from the address bar after opening it, or use “Copy link” in the run view.</p>
    </section>
  );
}
