/** Presets as links: the paper reproductions and the classroom scenarios. */
import { useEffect, useState } from 'react';

/** `variants`: the same setup with another parameter value (e.g. one file per λ), as small links under the card */
interface Item { id: string; link: string; title: string; text: string; variants?: { label: string; link: string }[] }
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
