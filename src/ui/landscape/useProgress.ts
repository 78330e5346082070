/**
 * Animation progress for several paths at once: on every animation frame each path (by key) reveals a
 * few more iterations until it is drawn whole; a new key starts from 0; `replay()` starts every path over.
 * The pace is set in iterations per second, not per frame, so a slow machine (or a software-rendered
 * chart that takes 50 ms a frame) shows fewer frames but finishes in the same time.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/** Iterations per second for a path of `length` points: 120, or faster so that it finishes within 3 s. */
export const iterationsPerSecond = (length: number) => Math.max(120, length / 3);

export function useProgress(items: readonly { key: string; length: number }[]): { progress: (key: string) => number; replay: () => void } {
  const [state, setState] = useState<Record<string, number>>({});
  const itemsRef = useRef(items);
  const last = useRef<number | null>(null);
  useEffect(() => {
    itemsRef.current = items;
  }, [items]);

  const pending = items.some((it) => (state[it.key] ?? 0) < it.length - 1);
  useEffect(() => {
    if (!pending) {
      last.current = null;
      return;
    }
    const frame = requestAnimationFrame((now) => {
      // the first frame of a run, or one after a long stall (a hidden tab), counts as one 60 Hz frame
      const dt = last.current === null ? 1000 / 60 : Math.min(now - last.current, 100);
      last.current = now;
      setState((s) => {
        const next: Record<string, number> = {};
        for (const it of itemsRef.current) {
          const step = Math.max(1, Math.round((iterationsPerSecond(it.length) * dt) / 1000));
          next[it.key] = Math.min(it.length - 1, (s[it.key] ?? 0) + step);
        }
        return next;
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [pending, state]);

  const progress = useCallback((key: string) => state[key] ?? 0, [state]);
  const replay = useCallback(() => setState({}), []);
  return { progress, replay };
}
