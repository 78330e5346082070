/**
 * A legend in HTML under a chart, so adding paths or toggling the field never resizes the plot (plotly's
 * own legend takes room from the plot area, and clicks would land elsewhere after each new path).
 */
export type LegendMark = 'line' | 'dashed' | 'dot' | 'diamond' | 'arrow' | 'open';

export interface LegendItem {
  mark: LegendMark;
  color: string;
  label: string;
}

function Mark({ mark, color }: { mark: LegendMark; color: string }) {
  const line = (dash?: string) => <line x1="2" y1="7" x2="22" y2="7" stroke={color} strokeWidth={mark === 'line' ? 3 : 1.6} strokeDasharray={dash} />;
  return (
    <svg width="24" height="14" viewBox="0 0 24 14" aria-hidden="true">
      {mark === 'line' && line()}
      {mark === 'dashed' && line('4 3')}
      {mark === 'dot' && <circle cx="12" cy="7" r="5" fill={color} stroke="#fff" strokeWidth="1.5" />}
      {mark === 'open' && <circle cx="12" cy="7" r="4.5" fill="none" stroke={color} strokeWidth="2" />}
      {mark === 'diamond' && <path d="M12 1 L18 7 L12 13 L6 7 Z" fill={color} stroke="#fff" strokeWidth="1.5" />}
      {mark === 'arrow' && <path d="M3 7 H20 M15 3.5 L20 7 L15 10.5" fill="none" stroke={color} strokeWidth="1.3" />}
    </svg>
  );
}

export function Legend({ items, label }: { items: LegendItem[]; label: string }) {
  return (
    <ul className="ls-legend" aria-label={label}>
      {items.map((it) => (
        <li key={it.label}><Mark mark={it.mark} color={it.color} />{it.label}</li>
      ))}
    </ul>
  );
}
