import {
  app,
  BrowserWindow,
  ipcMain,
  nativeTheme,
  session,
  shell,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CRAWLER_API_CHANNELS, type CrawlerApi } from '../../shared/crawler-api';
import { RENDERER_DEV_CSP } from './content-security-policy';

/**
 * The Electron entry: app lifecycle, the one window, and the IPC handlers
 * behind `window.trawl`. Kept thin: the crawl engine is platform-neutral and
 * lives in `electron/engine`; this file only wires it to Electron.
 *
 * Build layout (electron-vite): this file is `out/main/index.js`, the worker
 * bundle `out/main/worker.js`, the preload `out/preload/index.cjs`, the page
 * `out/renderer/index.html`.
 */

const PRELOAD_PATH = join(import.meta.dirname, '../preload/index.cjs');
const RENDERER_HTML_PATH = join(import.meta.dirname, '../renderer/index.html');
/** Set by `electron-vite dev`; never trusted in a packaged app. */
const DEV_SERVER_URL = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
/** Work to finish before the process exits (the crawl service, the store). */
const SHUTDOWN_TIMEOUT_MS = 5_000;

const shutdownTasks: Array<() => Promise<void>> = [];
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another Trawl owns the database; it focuses its window (second-instance).
  app.quit();
} else {
  // Every renderer sandboxed, whatever its webPreferences say.
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId('dev.trawl.app');

  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
  installShutdown();

  app
    .whenReady()
    .then(() => {
      denyAllPermissions();
      addCspHeader();
      registerCrawlerApi();
      createMainWindow();
    })
    .catch((error: unknown) => {
      console.error('Trawl failed to start:', error);
      app.exit(1);
    });
}

function createMainWindow(): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Trawl',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });

  const loaded =
    DEV_SERVER_URL !== undefined
      ? window.loadURL(DEV_SERVER_URL)
      : window.loadFile(RENDERER_HTML_PATH);
  loaded.catch((error: unknown) => console.error('Could not load the renderer:', error));
}

/** Is `raw` one of the app's own pages (not merely a page inside the app's window)? */
function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (DEV_SERVER_URL !== undefined) {
    return url.origin === new URL(DEV_SERVER_URL).origin;
  }
  if (url.protocol !== 'file:' || url.host !== '') return false;
  const path = resolve(fileURLToPath(url));
  const expected = resolve(RENDERER_HTML_PATH);
  return process.platform === 'win32'
    ? path.toLowerCase() === expected.toLowerCase()
    : path === expected;
}

/** Opens http(s) links in the OS browser; anything else is dropped. */
function openExternally(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
  shell.openExternal(url.href).catch((error: unknown) => {
    console.error(`Could not open ${url.href}:`, error);
  });
}

/** Applied to every WebContents the app creates, the main window's included. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openExternally(event.url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

/** The UI needs no browser permission: camera, notifications, clipboard-read… all no. */
function denyAllPermissions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/**
 * The page served by the dev server gets its CSP as a header too. The packaged
 * app loads `file://`, which has no headers: there the `<meta>` tag in
 * `renderer/index.html` carries the (production) policy.
 */
function addCspHeader(): void {
  if (DEV_SERVER_URL === undefined) return;
  const origin = new URL(DEV_SERVER_URL).origin;
  session.defaultSession.webRequest.onHeadersReceived(
    { urls: [`${origin}/*`] },
    (details, callback) => {
      const responseHeaders = { ...details.responseHeaders };
      for (const name of Object.keys(responseHeaders)) {
        if (name.toLowerCase() === 'content-security-policy') delete responseHeaders[name];
      }
      responseHeaders['Content-Security-Policy'] = [RENDERER_DEV_CSP];
      callback({ responseHeaders });
    },
  );
}

/**
 * Each `CrawlerApi` method is one `ipcMain.handle` on a `trawl:` channel.
 * Handlers answer only the app's own top-level page; methods that take
 * arguments must parse them with a schema from `shared/` before use.
 */
type Handlers = { [K in keyof CrawlerApi]: (args: unknown[]) => ReturnType<CrawlerApi[K]> };

const handlers: Handlers = {
  getVersion: async () => app.getVersion(),
  getCoreCount: async () => availableParallelism(),
};

function registerCrawlerApi(): void {
  for (const method of Object.keys(handlers) as Array<keyof CrawlerApi>) {
    const channel = CRAWLER_API_CHANNELS[method];
    const handler = handlers[method];
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      assertTrustedSender(event, channel);
      return handler(args);
    });
  }
}

function assertTrustedSender(event: IpcMainInvokeEvent, channel: string): void {
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null || !isAppUrl(frame.url)) {
    throw new Error(`${channel}: refused, the sender is not the app's own page`);
  }
}

/**
 * On quit, give registered work (stopping crawls, closing the store) a bounded
 * time to finish, then let Electron exit. Crash-only: nothing depends on this
 * running, it only makes a normal quit tidy.
 */
function installShutdown(): void {
  let state: 'running' | 'stopping' | 'done' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'done') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    void shutdown().finally(() => {
      state = 'done';
      app.quit();
    });
  });
}

async function shutdown(): Promise<void> {
  for (const channel of Object.values(CRAWLER_API_CHANNELS)) ipcMain.removeHandler(channel);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((done) => {
    timer = setTimeout(() => {
      console.error(`Shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms; quitting anyway.`);
      done();
    }, SHUTDOWN_TIMEOUT_MS);
  });
  const tasks = shutdownTasks
    .splice(0)
    .map((task) => task().catch((error: unknown) => console.error('Shutdown task failed:', error)));
  await Promise.race([Promise.all(tasks), timeout]);
  clearTimeout(timer);
}
