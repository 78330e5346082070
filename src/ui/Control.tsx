/** One labelled control with its one-line help; hidden when a link lists its id in `hide=`. */
import type { ReactNode } from 'react';
import { useLab } from '../state/store';

export function Control({ id, label, help, children }: { id: string; label: string; help: string; children: (inputId: string) => ReactNode }) {
  const hidden = useLab((s) => s.hide.includes(id));
  if (hidden) return null;
  const inputId = `ctl-${id}`;
  return (
    <div className="control" data-control={id}>
      <label htmlFor={inputId}>{label}</label>
      {children(inputId)}
      <small className="help">{help}</small>
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
