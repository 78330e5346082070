/** Whether the page is narrower than `px` (a phone held upright), following the window as it changes. */
import { useSyncExternalStore } from 'react';

export function useNarrow(px = 560): boolean {
  const query = `(max-width: ${px}px)`;
  return useSyncExternalStore(
    (change) => {
      if (typeof window === 'undefined' || !window.matchMedia) return () => {};
      const m = window.matchMedia(query);
      m.addEventListener('change', change);
      return () => m.removeEventListener('change', change);
    },
    () => typeof window !== 'undefined' && !!window.matchMedia && window.matchMedia(query).matches,
    () => false,
  );
}
