/**
 * What the renderer may ask of its host. The desktop app exposes it as
 * `window.trawl` through the preload (one `ipcRenderer.invoke` per method);
 * `trawl serve` will implement the same interface over a WebSocket.
 *
 * Every method crosses a process boundary: arguments and results must be
 * structured-cloneable plain data.
 */
export interface CrawlerApi {
  /** The app's version, e.g. `0.1.0`. */
  getVersion(): Promise<string>;
  /** Logical CPU cores of the host: the default number of worker processes. */
  getCoreCount(): Promise<number>;
}

/**
 * IPC channel names, one per `CrawlerApi` method. Main handles only channels
 * with the `trawl:` prefix and only from the app's own pages.
 */
export const CRAWLER_API_CHANNELS = {
  getVersion: 'trawl:get-version',
  getCoreCount: 'trawl:get-core-count',
} as const satisfies Record<keyof CrawlerApi, `trawl:${string}`>;

export type CrawlerApiChannel = (typeof CRAWLER_API_CHANNELS)[keyof typeof CRAWLER_API_CHANNELS];
