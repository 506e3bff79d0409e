import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

/**
 * Native menus with the usual roles (and so the usual shortcuts: copy,
 * paste, reload, zoom, full screen, quit), plus "Open data folder".
 */
export function installAppMenu(dataFolder: string): void {
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
