import { useEffect, useState } from 'react';

interface HostInfo {
  version: string;
  coreCount: number;
}

type Load =
  { state: 'loading' } | { state: 'ready'; info: HostInfo } | { state: 'failed'; message: string };

/** Placeholder page: proves the window, preload and IPC work end to end. */
export function App() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    let cancelled = false;
    // `window.trawl` exists only where a host provides it (the desktop preload).
    const api = 'trawl' in window ? window.trawl : undefined;
    if (api === undefined) {
      setLoad({ state: 'failed', message: 'No Trawl host is connected to this page.' });
      return;
    }
    Promise.all([api.getVersion(), api.getCoreCount()]).then(
      ([version, coreCount]) => {
        if (!cancelled) setLoad({ state: 'ready', info: { version, coreCount } });
      },
      (error: unknown) => {
        if (!cancelled) setLoad({ state: 'failed', message: String(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <main className="app">
      <h1>Trawl</h1>
      {load.state === 'loading' && <p aria-live="polite">Connecting…</p>}
      {load.state === 'failed' && <p role="alert">{load.message}</p>}
      {load.state === 'ready' && (
        <dl>
          <dt>Version</dt>
          <dd>{load.info.version}</dd>
          <dt>CPU cores detected</dt>
          <dd>{load.info.coreCount}</dd>
        </dl>
      )}
    </main>
  );
}
