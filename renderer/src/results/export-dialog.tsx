import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ExportOutcome } from '../../../shared/crawler-api';
import { EXPORT_FORMATS, type ExportFormat, type ExportRequest } from '../../../shared/results';
import { errorMessage } from '../store/error-message';
import { useAppApi } from '../store/store-context';

const FORMAT_LABELS: Record<ExportFormat, string> = {
  csv: 'CSV (spreadsheets)',
  json: 'JSON (one array)',
  ndjson: 'NDJSON (one object per line)',
  xlsx: 'Excel workbook',
  sitemap: 'XML sitemap (indexable pages)',
  sqlite: 'SQLite database of this job',
};

type Phase =
  | { state: 'idle' }
  | { state: 'working' }
  | { state: 'done'; outcome: ExportOutcome }
  | { state: 'error'; message: string };

/**
 * Export a job: format, whether to keep the table's filters and columns, and
 * the progress: the browser downloads the file itself (its download bar shows
 * the progress); the desktop app asks where to save and reports when done.
 */
export function ExportDialog(props: { base: Omit<ExportRequest, 'format'>; onClose: () => void }) {
  const api = useAppApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [useView, setUseView] = useState(true);
  const [bom, setBom] = useState(false);
  const [phase, setPhase] = useState<Phase>({ state: 'idle' });

  useEffect(() => {
    const element = dialog.current;
    element?.showModal?.();
    return () => element?.close?.();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPhase({ state: 'working' });
    const { jobId, filters, columns, report } = props.base;
    const request: ExportRequest = {
      jobId,
      format,
      ...(useView && report ? { report } : {}),
      ...(useView && filters ? { filters } : {}),
      ...(useView && columns ? { columns } : {}),
      ...(format === 'csv' && bom ? { bom } : {}),
    };
    try {
      const outcome = await api.exportJob(request);
      if (outcome.kind === 'download') download(outcome.url, outcome.fileName);
      setPhase({ state: 'done', outcome });
    } catch (error) {
      setPhase({ state: 'error', message: errorMessage(error) });
    }
  };

  return (
    <dialog
      ref={dialog}
      className="export-dialog"
      aria-labelledby="export-title"
      onCancel={props.onClose}
    >
      <form onSubmit={submit}>
        <h3 id="export-title">Export job {props.base.jobId}</h3>
        <label>
          Format{' '}
          <select
            value={format}
            onChange={(event) => setFormat(event.target.value as ExportFormat)}
          >
            {EXPORT_FORMATS.map((name) => (
              <option key={name} value={name}>
                {FORMAT_LABELS[name]}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={useView}
            onChange={(event) => setUseView(event.target.checked)}
          />
          Only what the current view shows (its filters and columns, or its report)
        </label>
        {format === 'csv' && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={bom}
              onChange={(event) => setBom(event.target.checked)}
            />
            Start with a byte order mark (for Excel)
          </label>
        )}
        <p aria-live="polite" className="export-status">
          {phase.state === 'working' && <progress aria-label="Exporting" />}
          {phase.state === 'done' && outcomeText(phase.outcome)}
          {phase.state === 'error' && <span className="error">Export failed: {phase.message}</span>}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={phase.state === 'working'}>
            Export
          </button>
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}

function outcomeText(outcome: ExportOutcome): string {
  if (outcome.kind === 'download') return `Downloading ${outcome.fileName}…`;
  if (outcome.kind === 'saved') return `Saved to ${outcome.path}`;
  return 'Export cancelled.';
}

/** Starts the browser's download of a same-origin URL. */
function download(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}
