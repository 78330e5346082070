/**
 * One labelled control with its one-line help; hidden when a link lists its id in `hide=`. The help's
 * references to the papers and the spec — "(SPEC §4)", "([G] §4.3)", "(Prop. 2.1)" — are set apart
 * (`.ref`): the settings panel shows them only when its "papers' references" box is ticked (RefsToggle),
 * so a newcomer reads the plain sentence and a researcher finds the source one click away.
 */
import { type ReactNode, useState } from 'react';
import { useLab } from '../state/store';

/** A parenthesis that cites: the spec, a paper ([G], [N] …), a proposition, theorem, lemma, definition or equation, or is an equation's number alone at the end of a clause: "… on U_g (7.2)." (not "Q of (6.2): …", which the sentence needs). */
const CITATION = /\s*\(\d+(?:\.\d+)*[a-z]?\)(?=[.;,]|$)|\s*\((?:[^()]|\([^()]*\))*?(?:SPEC|\[[A-Z]\]|Prop\.|Proposition|Theorem|Thm|Lemma|Definition|eqs?\.|Algorithm \d)(?:[^()]|\([^()]*\))*\)/g;

/** The help text with its citations split out: [plain, citation, plain, …]. */
export function splitCitations(help: string): { text: string; ref: boolean }[] {
  const parts: { text: string; ref: boolean }[] = [];
  let at = 0;
  for (const m of help.matchAll(CITATION)) {
    if (m.index > at) parts.push({ text: help.slice(at, m.index), ref: false });
    parts.push({ text: m[0], ref: true });
    at = m.index + m[0].length;
  }
  if (at < help.length) parts.push({ text: help.slice(at), ref: false });
  return parts;
}

const REFS_KEY = 'lowrank-lab:show-refs';

/** The box that shows the help texts' references to the papers (remembered in this browser). */
export function useRefsToggle(): [boolean, ReactNode] {
  const [on, setOn] = useState(() => {
    try {
      return localStorage.getItem(REFS_KEY) === '1';
    } catch {
      return false;
    }
  });
  const set = (v: boolean) => {
    setOn(v);
    try {
      localStorage.setItem(REFS_KEY, v ? '1' : '0');
    } catch {
      // private mode: the choice lasts for this page only
    }
  };
  return [on, (
    <label className="refs-toggle" key="refs">
      <input type="checkbox" checked={on} onChange={(e) => set(e.target.checked)} /> show the papers’ references (SPEC sections, equations, theorems)
    </label>
  )];
}

export function Control({ id, label, help, children }: { id: string; label: string; help: string; children: (inputId: string) => ReactNode }) {
  const hidden = useLab((s) => s.hide.includes(id));
  if (hidden) return null;
  const inputId = `ctl-${id}`;
  return (
    <div className="control" data-control={id}>
      <label htmlFor={inputId}>{label}</label>
      {children(inputId)}
      <small className="help">{splitCitations(help).map((p, i) => (p.ref ? <span key={i} className="ref">{p.text}</span> : p.text))}</small>
    </div>
  );
}

/** A number input that commits on change when the text parses, and shows the text while typing. */
export function NumberInput({ id, value, onChange, step, min, max, integer }: {
  id: string; value: number | undefined; onChange: (v: number) => void; step?: number | 'any'; min?: number; max?: number; integer?: boolean;
}) {
  return (
    <input
      id={id}
      type="number"
      inputMode="decimal"
      step={step ?? (integer ? 1 : 'any')}
      min={min}
      max={max}
      defaultValue={value}
      key={String(value)}
      onBlur={(e) => commit(e.currentTarget.value)}
      onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
    />
  );
  function commit(text: string) {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) return;
    if (v !== value) onChange(v);
  }
}
