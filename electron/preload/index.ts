import { contextBridge, ipcRenderer } from 'electron';
import { CRAWLER_API_CHANNELS, type CrawlerApi } from '../../shared/crawler-api';

/**
 * Exposes `CrawlerApi` as `window.trawl`. Each method is one
 * `ipcRenderer.invoke` on a fixed `trawl:` channel; the page never sees
 * `ipcRenderer` itself, so it cannot pick channels or listen to replies meant
 * for someone else.
 *
 * Runs sandboxed (built as CommonJS): it may import only `electron` and code
 * bundled into it, never a package from node_modules at run time.
 */
const api: CrawlerApi = {
  getVersion: () => ipcRenderer.invoke(CRAWLER_API_CHANNELS.getVersion) as Promise<string>,
  getCoreCount: () => ipcRenderer.invoke(CRAWLER_API_CHANNELS.getCoreCount) as Promise<number>,
};

contextBridge.exposeInMainWorld('trawl', api);
