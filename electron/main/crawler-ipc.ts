import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  CRAWLER_API_CHANNELS,
  CRAWLER_REQUEST_METHODS,
  type HostRequests,
} from '../../shared/crawler-api';
import { dispatchRequest } from '../serve/request-dispatch';

/**
 * One `ipcMain.handle` per request method on its `trawl:` channel. Handlers
 * answer only the app's own top-level page, and every argument is checked
 * against the method's schema (request-dispatch.ts) before the host sees it.
 */
export function registerCrawlerIpc(api: HostRequests, isAppUrl: (url: string) => boolean) {
  for (const method of CRAWLER_REQUEST_METHODS) {
    const channel = CRAWLER_API_CHANNELS[method];
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      assertTrustedSender(event, channel, isAppUrl);
      return dispatchRequest(api, method, args);
    });
  }
}

export function unregisterCrawlerIpc(): void {
  for (const channel of Object.values(CRAWLER_API_CHANNELS)) ipcMain.removeHandler(channel);
}

function assertTrustedSender(
  event: IpcMainInvokeEvent,
  channel: string,
  isAppUrl: (url: string) => boolean,
): void {
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null || !isAppUrl(frame.url)) {
    throw new Error(`${channel}: refused, the sender is not the app's own page`);
  }
}
