import { contextBridge, ipcRenderer } from 'electron';
import {
  bindRequests,
  CRAWLER_API_CHANNELS,
  PORT_NONCE_ARG,
  PROGRESS_PORT_CHANNEL,
  type CrawlerApi,
  type ExportUpdate,
  type HostEvent,
  type MenuCommand,
} from '../../shared/crawler-api';
import { fromJsonText } from '../../shared/json-text';
import type { ProgressSnapshot } from '../../shared/progress';

/**
 * Exposes `CrawlerApi` as `window.trawl`. Each request method is one
 * `ipcRenderer.invoke` on a fixed `trawl:` channel; progress arrives on a
 * MessagePort that main sends once per page load, with the nonce main put in
 * this window's arguments. The page never sees `ipcRenderer` or the port, so
 * it cannot pick channels or listen to messages meant for someone else.
 *
 * Runs sandboxed (built as CommonJS): it may import only `electron` and code
 * bundled into it, never a package from node_modules at run time.
 */
const nonce = process.argv
  .find((arg) => arg.startsWith(PORT_NONCE_ARG))
  ?.slice(PORT_NONCE_ARG.length);
const progressListeners = new Set<(snapshot: ProgressSnapshot) => void>();
const exportListeners = new Set<(update: ExportUpdate) => void>();
const menuListeners = new Set<(command: MenuCommand) => void>();
const jobsListeners = new Set<() => void>();

/** Adds a listener; returns its removal. */
function listen<T>(listeners: Set<(value: T) => void>, listener: (value: T) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
let portTaken = false;

ipcRenderer.on(PROGRESS_PORT_CHANNEL, (event, offered: unknown) => {
  const port = event.ports[0];
  // Only the first port, and only with this window's nonce.
  if (portTaken || nonce === undefined || offered !== nonce || port === undefined) return;
  portTaken = true;
  // Main's own messages, from the port only main holds the other end of.
  port.onmessage = ({ data }: { data: unknown }) => {
    const event = data as HostEvent;
    if (event.kind === 'progress')
      for (const listener of progressListeners) listener(event.snapshot);
    if (event.kind === 'export') for (const listener of exportListeners) listener(event.update);
    if (event.kind === 'menu') for (const listener of menuListeners) listener(event.command);
    if (event.kind === 'jobs-changed') for (const listener of jobsListeners) listener();
  };
  port.start();
});

const api: CrawlerApi = {
  // An answer main passed on as JSON text (it never parses a long one) is parsed here.
  ...bindRequests(async (method, args) =>
    fromJsonText(await ipcRenderer.invoke(CRAWLER_API_CHANNELS[method], ...args)),
  ),
  onProgress: (listener) => listen(progressListeners, listener),
  onExportProgress: (listener) => listen(exportListeners, listener),
  onMenuCommand: (listener) => listen(menuListeners, listener),
  onJobsChanged: (listener) => listen(jobsListeners, listener),
};

contextBridge.exposeInMainWorld('trawl', api);
