import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { ExportOutcome, ExportUpdate } from '../../shared/crawler-api';
import type { ExportRequest } from '../../shared/results';
import { exportFileName, exportReporting } from '../engine/export/export-job';
import { openDatabase } from '../engine/store/database';

/**
 * The desktop app's `exportJob`: a native save dialog picks the file, then
 * the export streams into it through its own database connection (the
 * crawl's writes never wait on it).
 */
export function exportWithSaveDialog(
  dbFile: string,
  parentWindow: () => BrowserWindow | null,
  report: (update: ExportUpdate) => void,
): (request: ExportRequest) => Promise<ExportOutcome> {
  return async (request) => {
    const options = { defaultPath: join(app.getPath('downloads'), exportFileName(request)) };
    const window = parentWindow();
    const choice = window
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { kind: 'cancelled' };
    const db = openDatabase(dbFile, { mustExist: true });
    try {
      await exportReporting(db, request, { file: choice.filePath }, report);
    } finally {
      db.close();
    }
    return { kind: 'saved', path: choice.filePath };
  };
}
