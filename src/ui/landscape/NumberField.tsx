/**
 * A labelled number input that lets the user type freely: the text is kept as typed while editing and
 * committed whenever it parses to an accepted value; on blur it shows the committed value again. (A plain
 * controlled input would snap "0." back to the old value on the first keystroke.)
 */
import { useState } from 'react';

interface Props {
  label: string;
  title: string;
  value: number;
  onCommit(v: number): void;
  /** accepted values (the input's min/max/step are hints for the spinner and the keyboard) */
  accept(v: number): boolean;
  min?: number;
  max?: number;
  step?: number;
  className?: string;
}

export function NumberField({ label, title, value, onCommit, accept, min, max, step, className = 'ls-field' }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <label className={className} title={title}>
      {label}
      <input
        type="number" min={min} max={max} step={step} value={draft ?? String(value)}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v) && accept(v)) onCommit(v);
        }}
        onBlur={() => setDraft(null)}
      />
    </label>
  );
}
