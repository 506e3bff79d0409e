import type { AppState, AppStore } from './app-store';
import { formatRoute, parseRoute } from './route';
import { resultsViewOf } from './ui-slice';

const routeOf = (state: AppState) =>
  formatRoute({
    view: state.view,
    jobId: state.selectedJobId,
    compareBase: state.compareBase,
    ...resultsViewOf(state),
  });

/**
 * Keeps the address's fragment and the screen in step; no other code touches
 * the fragment or the history. The screen the address names is shown at start
 * (a reload, a bookmark) and after back/forward or an edited address; each
 * screen change the user makes adds a history entry. Only the fragment is
 * written: it works on `file://` (the desktop app), and the path and query
 * stay as they are (`trawl serve` takes its token there, and removes it itself).
 * Returns the disconnect.
 */
export function syncLocation(store: AppStore): () => void {
  /** True while showing what the address names: the store's answer then replaces the entry. */
  let following = false;
  const write = () => {
    const hash = routeOf(store.getState());
    if (hash === location.hash) return;
    if (following) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
  };
  // Back/forward between our entries fires this too, as does an edited address.
  const follow = () => {
    following = true;
    try {
      store.getState().openRoute(parseRoute(location.hash));
      write(); // an unknown or partial address is replaced by the one of the screen shown
    } finally {
      following = false;
    }
  };
  follow();
  const unsubscribe = store.subscribe(write);
  window.addEventListener('hashchange', follow);
  return () => {
    unsubscribe();
    window.removeEventListener('hashchange', follow);
  };
}
