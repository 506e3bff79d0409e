import { MessageChannelMain, type BrowserWindow, type MessagePortMain } from 'electron';
import { PROGRESS_PORT_CHANNEL } from '../../shared/crawler-api';
import type { ProgressSnapshot } from '../../shared/progress';

/**
 * The progress stream to one window: on every page load, a fresh
 * MessageChannelMain; one end goes to the preload with the window's nonce
 * (the preload takes the first port with that nonce and no other), the other
 * stays here. Snapshots are throttled by the engine (about 10 a second per job).
 */
export function connectProgressPort(
  window: BrowserWindow,
  nonce: string,
  subscribe: (listener: (snapshot: ProgressSnapshot) => void) => () => void,
): void {
  let port: MessagePortMain | null = null;
  const unsubscribe = subscribe((snapshot) => port?.postMessage(snapshot));
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
