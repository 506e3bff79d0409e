import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { ExportOutcome } from '../../shared/crawler-api';
import type { ExportRequest } from '../../shared/results';
import { exportFileName } from '../engine/export/export-job';
import type { ExportRuns } from '../engine/export/export-runs';
import { openDatabase } from '../engine/store/database';

/**
 * The desktop app's `exportJob`: a native save dialog picks the file, then
 * the export streams into it through its own database connection (the
 * crawl's writes never wait on it).
 */
export function exportWithSaveDialog(
  dbFile: string,
  parentWindow: () => BrowserWindow | null,
  exports: ExportRuns,
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
      const written = await exports.run(db, request, { file: choice.filePath });
      return written === null ? { kind: 'cancelled' } : { kind: 'saved', path: choice.filePath };
    } finally {
      db.close();
    }
  };
}
