import { dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';
import type { MenuCommand } from '../../shared/crawler-api';
import { readUrlListFile } from '../engine/url-list-file';

/**
 * Native menus with the usual roles (and so the usual shortcuts: copy,
 * paste, reload, zoom, full screen, quit), plus File → New Crawl, Import URL
 * List… (a native open dialog; the file is read and checked here) and Open
 * Data Folder. `onCommand` reaches the renderer through the progress port.
 */
export function installAppMenu(
  dataFolder: string,
  onCommand: (command: MenuCommand) => void,
): void {
  const isMac = process.platform === 'darwin';
  const openDataFolder: MenuItemConstructorOptions = {
    label: 'Open Data Folder',
    click: () => {
      void shell.openPath(dataFolder).then((problem) => {
        if (problem) console.error(`Could not open ${dataFolder}: ${problem}`);
      });
    },
  };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'New Crawl',
          accelerator: 'CmdOrCtrl+N',
          click: () => onCommand({ type: 'new-crawl' }),
        },
        {
          label: 'Import URL List…',
          accelerator: 'CmdOrCtrl+O',
          click: () => void importUrlList(onCommand),
        },
        { type: 'separator' },
        openDataFolder,
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function importUrlList(onCommand: (command: MenuCommand) => void): Promise<void> {
  const choice = await dialog.showOpenDialog({
    title: 'Import URL list',
    properties: ['openFile'],
    filters: [{ name: 'URL lists', extensions: ['txt', 'csv'] }],
  });
  const path = choice.filePaths[0];
  if (choice.canceled || path === undefined) return;
  try {
    onCommand({ type: 'import-url-list', fileName: basename(path), text: readUrlListFile(path) });
  } catch (error) {
    dialog.showErrorBox('Cannot import the URL list', (error as Error).message);
  }
}
