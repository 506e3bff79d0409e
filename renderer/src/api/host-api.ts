import type { CrawlerApi } from '../../../shared/crawler-api';
import type { ConnectionStatus } from '../store/ui-slice';
import { createWebSocketApi } from './ws-client';

/**
 * The host this page talks to: the desktop preload's `window.trawl` when it
 * exists, else the `trawl serve` WebSocket of the origin the page came from.
 */
export function connectToHost(): {
  api: CrawlerApi;
  onStatus?: (listener: (status: ConnectionStatus) => void) => () => void;
} {
  if ('trawl' in window) return { api: window.trawl };
  return createWebSocketApi();
}
