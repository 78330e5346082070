/** Messages between the page and the engine worker. */
import type { MetricsRow } from '../core/metrics';
import type { Stop } from '../core/result';
import type { TheoryReport } from '../core/theory';

import type { BackendPreference } from './backend';

export type ToWorker = { type: 'run'; document: unknown; backend: BackendPreference } | { type: 'cancel' };

export type FromWorker =
  | { type: 'started'; stepsize: number; omega: number; theory: TheoryReport; engine: 'cpu' | 'webgpu'; reason: string }
  | { type: 'rewind'; iteration: number; reason: string }
  | { type: 'rows'; rows: MetricsRow[] }
  | { type: 'done'; stop: Stop }
  | { type: 'error'; message: string };
