import { useEffect } from 'react';
import { RANGES, type ViewState } from './view-state.js';

/**
 * Keys 1–4 pick the trend range (15 min, 1 h, 6 h, 24 h) from anywhere on the page except
 * while typing in a field. The listener lives as long as the component that installs it.
 */
export function useRangeKeys(setView: (update: (v: ViewState) => ViewState) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement)
        return;
      const range = RANGES[Number(e.key) - 1];
      if (range === undefined) return;
      e.preventDefault();
      setView((v) => ({ ...v, range: range.key }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);
}
