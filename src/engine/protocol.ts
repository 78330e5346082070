/** Messages between the page and the engine worker. */
import type { MetricsRow } from '../core/metrics';
import type { Stop } from '../core/result';
import type { TheoryReport } from '../core/theory';

export type ToWorker = { type: 'run'; document: unknown } | { type: 'cancel' };

export type FromWorker =
  | { type: 'started'; stepsize: number; omega: number; theory: TheoryReport }
  | { type: 'rows'; rows: MetricsRow[] }
  | { type: 'done'; stop: Stop }
  | { type: 'error'; message: string };
