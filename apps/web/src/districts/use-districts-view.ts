import { useCallback, useState } from 'react';
import { formatDistrictsView, parseDistrictsView, type DistrictsView } from './districts-view.js';

/** The page's view, read from the URL fragment at open and written back on every change. */
export function useDistrictsView(): [DistrictsView, (patch: Partial<DistrictsView>) => void] {
  const [view, setView] = useState(() => parseDistrictsView(window.location.hash));
  const update = useCallback((patch: Partial<DistrictsView>) => {
    setView((prev) => {
      const next = { ...prev, ...patch };
      const { pathname, search, hash } = window.location;
      const nextHash = formatDistrictsView(next, hash);
      // replaceState: browsing districts should not flood the back button.
      if (nextHash !== hash) window.history.replaceState(null, '', `${pathname}${search}${nextHash}`);
      return next;
    });
  }, []);
  return [view, update];
}
