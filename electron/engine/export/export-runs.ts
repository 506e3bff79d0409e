import type { ExportUpdate } from '../../../shared/crawler-api';
import type { ExportRequest } from '../../../shared/results';
import type { Db } from '../store/database';
import { exportJob, type ExportResult, type ExportTarget } from './export-job';

type Listener = (update: ExportUpdate) => void;

/**
 * The exports a UI host is writing: each gets a number, reports its progress
 * as ExportUpdate events (the export dialog's progress bar), the last one
 * `done`, and can be stopped with `cancel` (its partial files are removed).
 */
export class ExportRuns {
  private nextId = 1;
  private readonly running = new Map<number, AbortController>();
  private readonly listeners = new Set<Listener>();

  onUpdate(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs one export; resolves null when it was cancelled, rejects when it failed. */
  async run(db: Db, request: ExportRequest, target: ExportTarget): Promise<ExportResult | null> {
    const exportId = this.nextId++;
    const controller = new AbortController();
    this.running.set(exportId, controller);
    let last = { rows: 0, total: null as number | null };
    const tell = (progress: Omit<ExportUpdate, 'exportId' | 'jobId' | 'format'>) => {
      for (const listener of this.listeners)
        listener({ exportId, jobId: request.jobId, format: request.format, ...progress });
    };
    // At once, so the dialog can offer Cancel before the first thousand rows.
    tell({ ...last, done: false });
    try {
      const result = await exportJob(db, request, target, {
        signal: controller.signal,
        onProgress: (progress) => {
          last = progress;
          tell({ ...progress, done: false });
        },
      });
      const { rows, notes } = result;
      tell({ rows, total: rows, done: true, ...(notes.length > 0 && { notes }) });
      return result;
    } catch (error) {
      if (controller.signal.aborted) {
        tell({ ...last, done: true, cancelled: true });
        return null;
      }
      tell({ ...last, done: true, error: (error as Error).message });
      throw error;
    } finally {
      this.running.delete(exportId);
    }
  }

  /** Stops export `exportId` at its next row; an export that already ended is left alone. */
  cancel(exportId: number): void {
    this.running.get(exportId)?.abort();
  }
}
