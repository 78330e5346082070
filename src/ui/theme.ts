/**
 * The metrics' colours, one meaning each and the same everywhere (runs have theirs: COLORS in
 * src/state/actions.ts): a colour per metric (the swatch before a chart's title, the
 * first-visit figure's lines). The consensus error's colour is the dark end of the network view's scale
 * (NetworkView: light = the copies agree, dark red = far from the average), so the line and the nodes
 * speak of the same quantity in the same colour.
 */
import type { OptionalTraceKey, TraceKey } from '../core/metrics';

type MetricKey = TraceKey | OptionalTraceKey;

/** The metrics' own colours (a metric not named here has no swatch). */
export const METRIC_COLORS: Partial<Record<MetricKey, string>> = {
  objective: '#1f4fa8',
  consensusError: '#bd0026',
  optimalityGap: '#2b7a3a',
  distributedObjective: '#6a3d9a',
  gradientNorm: '#8a6d00',
  fittingError: '#1f4fa8',
  optimalityError: '#2b7a3a',
};
