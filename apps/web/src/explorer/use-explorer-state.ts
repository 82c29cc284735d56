import { useCallback, useEffect, useState } from 'react';
import {
  clearExplorerState,
  formatExplorerState,
  isExplorerHash,
  parseExplorerState,
  type ExplorerState,
} from './explorer-state.js';

function replaceHash(hash: string): void {
  const { pathname, search } = window.location;
  // replaceState: trying ranges and points should not flood the back button.
  if (hash !== window.location.hash) window.history.replaceState(null, '', `${pathname}${search}${hash}`);
}

/**
 * The explorer's view, kept in the URL fragment while the page is open (so the address bar is
 * always a link to what is on screen) and taken out of it when the page closes, leaving the
 * plant view's keys as they were.
 */
export function useExplorerState(): [ExplorerState, (update: (s: ExplorerState) => ExplorerState) => void] {
  const [state, setState] = useState(() => parseExplorerState(window.location.hash));

  useEffect(() => {
    replaceHash(formatExplorerState(parseExplorerState(window.location.hash), window.location.hash));
    // A link pasted into this tab (or edited by hand) changes the view.
    const onHash = (): void => {
      if (isExplorerHash(window.location.hash)) setState(parseExplorerState(window.location.hash));
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
      replaceHash(clearExplorerState(window.location.hash));
    };
  }, []);

  const update = useCallback((fn: (s: ExplorerState) => ExplorerState) => {
    setState((prev) => {
      const next = fn(prev);
      replaceHash(formatExplorerState(next, window.location.hash));
      return next;
    });
  }, []);

  return [state, update];
}
