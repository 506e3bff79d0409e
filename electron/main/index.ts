import {
  app,
  BrowserWindow,
  dialog,
  nativeTheme,
  session,
  shell,
  type WebContents,
} from 'electron';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PORT_NONCE_ARG } from '../../shared/crawler-api';
import { databasePath } from '../cli/options';
import { upgradeNotice } from '../cli/with-database';
import { ResultsClient } from '../engine/results/results-client';
import { openDatabase } from '../engine/store/database';
import { CrawlerHost } from '../serve/crawler-host';
import { installAppMenu } from './app-menu';
import { RENDERER_DEV_CSP } from '../../shared/content-security-policy';
import { registerCrawlerIpc, unregisterCrawlerIpc } from './crawler-ipc';
import { ExportRuns } from '../engine/export/export-runs';
import { exportWithSaveDialog } from './export-to-file';
import { connectProgressPort } from './progress-port';
import { UtilityProcessLauncher } from './utility-process-launcher';
import { loadWindowBounds, rememberWindowBounds } from './window-state';

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
let crawlerHost: CrawlerHost | null = null;

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
      startEngine();
      installAppMenu(dirname(databasePath(undefined)), (command) =>
        crawlerHost?.runMenuCommand(command),
      );
      createMainWindow();
    })
    .catch((error: unknown) => {
      console.error('Trawl failed to start:', error);
      // Started from a desktop icon, nobody reads the console: say it in a window.
      dialog.showErrorBox('Trawl could not start', (error as Error).message ?? String(error));
      app.exit(1);
    });
}

/**
 * The engine runs in main (workers as utility processes) on the same
 * database the `trawl` CLI uses, so jobs from either show up in both.
 */
function startEngine(): void {
  const file = databasePath(undefined);
  const logger = (level: string, message: string) => {
    if (level !== 'debug') console.error(`trawl: ${level}: ${message}`);
  };
  const db = openDatabase(file, {
    onUpgrade: (from, to) => logger('info', upgradeNotice(file, from, to)),
  });
  // The results thread is a third bundle beside main's (electron.vite.config.ts).
  process.env.TRAWL_RESULTS_THREAD_MODULE ??= join(import.meta.dirname, 'results-thread.js');
  process.env.TRAWL_STORE_WRITER_MODULE ??= join(import.meta.dirname, 'store-writer-thread.js');
  const results = new ResultsClient(file, logger);
  const exports = new ExportRuns();
  const host = new CrawlerHost({
    db,
    launcher: new UtilityProcessLauncher(),
    version: app.getVersion(),
    logger,
    results,
    exportJob: exportWithSaveDialog(file, () => mainWindow, exports),
    exports,
  });
  crawlerHost = host;
  registerCrawlerIpc(host, isAppUrl);
  // On quit: running jobs stop gracefully (pages in flight are stored), then the database closes.
  shutdownTasks.push(async () => {
    unregisterCrawlerIpc();
    await host.stopAll();
    await results.close();
    db.close();
  });
}

function windowStateFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

function createMainWindow(): void {
  const { maximized, ...bounds } = loadWindowBounds(windowStateFile());
  const nonce = randomBytes(16).toString('hex');
  const window = new BrowserWindow({
    ...bounds,
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
      additionalArguments: [`${PORT_NONCE_ARG}${nonce}`],
    },
  });
  mainWindow = window;
  rememberWindowBounds(window, windowStateFile());
  const host = crawlerHost;
  if (host !== null) connectProgressPort(window, nonce, (listener) => host.onHostEvent(listener));
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
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
