import { useCallback, useEffect, useRef, useState } from 'react';
import {
  clearExplorerState,
  formatExplorerState,
  isExplorerHash,
  parseExplorerState,
  type ExplorerState,
} from './explorer-state.js';

/** The last view, so coming back to the explorer within a visit finds it as it was left. */
const LAST_VIEW_KEY = 'watershed.explorer';

function remembered(): string {
  try {
    return window.sessionStorage.getItem(LAST_VIEW_KEY) ?? '';
  } catch {
    return ''; // storage disabled: the explorer opens empty instead
  }
}

function remember(hash: string): void {
  try {
    window.sessionStorage.setItem(LAST_VIEW_KEY, hash);
  } catch {
    // Not remembered; the URL still holds the view while the page is open.
  }
}

/** The view a (re)opened explorer shows: the URL's when it has one (a shared link), else the last one. */
function initialState(): ExplorerState {
  const hash = window.location.hash;
  return parseExplorerState(isExplorerHash(hash) ? hash : remembered());
}

function replaceHash(hash: string): void {
  const { pathname, search } = window.location;
  // replaceState: trying ranges and points should not flood the back button.
  if (hash !== window.location.hash) window.history.replaceState(null, '', `${pathname}${search}${hash}`);
}

/**
 * The explorer's view, kept in the URL fragment while the page is open (so the address bar is
 * always a link to what is on screen) and taken out of it when the page closes, leaving the
 * plant view's keys as they were. The last view is remembered for the visit (sessionStorage).
 */
export function useExplorerState(): [ExplorerState, (update: (s: ExplorerState) => ExplorerState) => void] {
  const [state, setState] = useState(initialState);
  // The view to put back into the URL on (re)mount: StrictMode's trial unmount has just taken it out.
  const latest = useRef(state);
  latest.current = state;

  useEffect(() => {
    replaceHash(formatExplorerState(latest.current, window.location.hash));
    remember(formatExplorerState(latest.current, ''));
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
      remember(formatExplorerState(next, ''));
      return next;
    });
  }, []);

  return [state, update];
}
