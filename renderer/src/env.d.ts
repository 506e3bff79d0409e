/// <reference types="vite/client" />
import type { CrawlerApi } from '../../shared/crawler-api';

declare global {
  interface Window {
    /** Exposed by the preload in the desktop app (see electron/preload/index.ts). */
    readonly trawl: CrawlerApi;
  }
}

export {};
