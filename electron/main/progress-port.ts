import { MessageChannelMain, type BrowserWindow, type MessagePortMain } from 'electron';
import { PROGRESS_PORT_CHANNEL, type HostEvent } from '../../shared/crawler-api';

/**
 * The event stream (progress, export progress, menu commands, jobs changed) to one window: on every page load, a fresh
 * MessageChannelMain; one end goes to the preload with the window's nonce
 * (the preload takes the first port with that nonce and no other), the other
 * stays here. Snapshots are throttled by the engine (about 10 a second per job).
 */
export function connectProgressPort(
  window: BrowserWindow,
  nonce: string,
  subscribe: (listener: (event: HostEvent) => void) => () => void,
): void {
  let port: MessagePortMain | null = null;
  const unsubscribe = subscribe((event) => port?.postMessage(event));
  const contents = window.webContents;

  contents.on('did-finish-load', () => {
    port?.close();
    const channel = new MessageChannelMain();
    port = channel.port1;
    contents.postMessage(PROGRESS_PORT_CHANNEL, nonce, [channel.port2]);
  });
  window.on('closed', () => {
    unsubscribe();
    port?.close();
    port = null;
  });
}
