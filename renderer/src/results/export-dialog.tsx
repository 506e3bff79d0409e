import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import type { ExportOutcome, ExportUpdate } from '../../../shared/crawler-api';
import {
  EXPORT_FORMATS,
  FILTER_NAMES,
  sitemapExcludedBy,
  type ExportFormat,
  type ExportRequest,
} from '../../../shared/results';
import { formatCount, formatRows } from '../common/format';
import { errorMessage } from '../store/error-message';
import { useApp, useAppApi } from '../store/store-context';

const FORMAT_LABELS: Record<ExportFormat, string> = {
  csv: 'CSV (spreadsheets)',
  json: 'JSON (one array)',
  ndjson: 'NDJSON (one object per line)',
  xlsx: 'Excel workbook',
  sitemap: 'XML sitemap (indexable pages)',
  sqlite: 'SQLite database of this job',
};

type View = Omit<ExportRequest, 'format'>;

/**
 * What of the current view a format can export, offered as a choice, or why it
 * exports the whole job: a table format takes all of the view (its report, or
 * its rows in its order and its columns); a sitemap only the URL table's
 * filters (it lists pages in crawl order, and a report's rows are no pages);
 * a SQLite copy none of it.
 */
function viewChoice(
  format: ExportFormat,
  { report, filters, sort, columns }: View,
): { offer: string; part: Partial<ExportRequest> } | { whole: string } {
  if (format === 'sqlite') {
    return {
      whole: 'A SQLite copy holds the whole job, its links and queue too, whatever the view.',
    };
  }
  if (format === 'sitemap') {
    if (report) return { whole: "A sitemap lists the job's indexable pages, not a report's rows." };
    // Known from the filters alone: said here rather than by the host's refusal.
    const excluded = filters ? sitemapExcludedBy(filters) : null;
    if (excluded !== null) {
      return {
        whole:
          `The view's ${FILTER_NAMES[excluded]} filter keeps none of the pages a sitemap lists ` +
          "(indexable, answered 200): this sitemap lists the whole job's.",
      };
    }
    return {
      offer:
        "Only the pages the current view's filters keep (a sitemap lists indexable pages that answered 200, in crawl order)",
      part: filters ? { filters } : {},
    };
  }
  return {
    offer:
      'Only what the current view shows (its rows in its order and its columns, or its report)',
    part: {
      ...(report ? { report } : {}),
      ...(filters ? { filters } : {}),
      ...(sort ? { sort } : {}),
      ...(columns ? { columns } : {}),
    },
  };
}

const CONNECTION_LOST =
  'the connection to the Trawl host was lost, so how the export ended is unknown here; ' +
  "the browser's downloads say whether the file is complete";

type Phase =
  | { state: 'idle' }
  | { state: 'working'; outcome?: ExportOutcome }
  | { state: 'done'; outcome: ExportOutcome; rows: number | null }
  | { state: 'error'; message: string };

/**
 * Export a job: format, whether to keep the table's filters and columns, and
 * the progress the host reports while it writes (rows written, of how many
 * when known). The desktop app asks where to save first; in a browser the
 * host streams a download, and the progress shown is the host's.
 */
export function ExportDialog(props: { base: View; onClose: () => void }) {
  const api = useAppApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const [format, setFormat] = useState<ExportFormat>('csv');
  const choice = viewChoice(format, props.base);
  const [useView, setUseView] = useState(true);
  const [bom, setBom] = useState(false);
  const [escapeFormulas, setEscapeFormulas] = useState(false);
  const [phase, setPhase] = useState<Phase>({ state: 'idle' });
  const [progress, setProgress] = useState<ExportUpdate | null>(null);
  /** Why the last Cancel export failed: the export goes on, and Cancel can be tried again. */
  const [cancelError, setCancelError] = useState<string | null>(null);
  /** The host's number for the export this dialog started, from its first update. */
  const exportId = useRef<number | null>(null);
  const working = phase.state === 'working';
  const connection = useApp((state) => state.connection);

  // Its progress comes over the connection to trawl serve: once that is lost, nothing
  // will say how it ended (the dialog said "exporting" for good).
  useEffect(() => {
    if (working && (connection === 'closed' || connection === 'refused'))
      setPhase({ state: 'error', message: CONNECTION_LOST });
  }, [working, connection]);

  // While exporting: this job's updates in this format (then only that export's); the last one ends it.
  useEffect(() => {
    if (!working) return;
    return api.onExportProgress((update) => {
      if (update.jobId !== props.base.jobId || update.format !== format) return;
      exportId.current ??= update.exportId;
      if (update.exportId !== exportId.current) return;
      setProgress(update);
      if (!update.done) return;
      setPhase((current) => {
        if (update.error !== undefined) return { state: 'error', message: update.error };
        if (update.cancelled) return { state: 'done', outcome: { kind: 'cancelled' }, rows: null };
        const outcome = current.state === 'working' ? current.outcome : undefined;
        return outcome ? { state: 'done', outcome, rows: update.rows } : current;
      });
    });
  }, [api, working, format, props.base.jobId]);

  // A layout effect closes it while it is still in the page, so the browser gives the focus
  // back to the control that opened it; closed after its removal, the focus fell to the body.
  useLayoutEffect(() => {
    const element = dialog.current;
    element?.showModal?.();
    return () => element?.close?.();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPhase({ state: 'working' });
    setProgress(null);
    setCancelError(null);
    exportId.current = null;
    const request: ExportRequest = {
      jobId: props.base.jobId,
      format,
      ...(useView && 'part' in choice ? choice.part : {}),
      ...(format === 'csv' && bom ? { bom } : {}),
      ...(format === 'csv' && escapeFormulas ? { escapeFormulas } : {}),
    };
    try {
      const outcome = await api.exportJob(request);
      if (outcome.kind === 'download') {
        // The host writes as the browser downloads: done when its last update comes.
        download(outcome.url, outcome.fileName);
        setPhase({ state: 'working', outcome });
      } else setPhase({ state: 'done', outcome, rows: null });
    } catch (error) {
      setPhase({ state: 'error', message: errorMessage(error) });
    }
  };

  const cancel = async (id: number) => {
    setCancelError(null);
    try {
      await api.cancelExport(id);
    } catch (error) {
      setCancelError(errorMessage(error));
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
        {'offer' in choice ? (
          <Checkbox checked={useView} onChange={setUseView}>
            {choice.offer}
          </Checkbox>
        ) : (
          <p className="hint">{choice.whole}</p>
        )}
        {format === 'csv' && (
          <>
            <Checkbox checked={bom} onChange={setBom}>
              Start with a byte order mark (for Excel)
            </Checkbox>
            <Checkbox checked={escapeFormulas} onChange={setEscapeFormulas}>
              Show cells starting with = + - @ as text, never as formulas (for crawls of sites you
              do not trust)
            </Checkbox>
          </>
        )}
        <p aria-live="polite" className="export-status">
          {working && <ExportProgressBar update={progress} />}
          {phase.state === 'done' && outcomeText(phase.outcome, phase.rows ?? progress?.rows)}
          {phase.state === 'done' &&
            progress?.notes?.map((note) => (
              <span key={note} className="note">
                {note}
              </span>
            ))}
          {phase.state === 'error' && <span className="error">Export failed: {phase.message}</span>}
          {working && cancelError !== null && (
            <span className="error">Could not cancel the export: {cancelError}</span>
          )}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={working}>
            Export
          </button>
          {working && progress !== null && (
            <button type="button" onClick={() => void cancel(progress.exportId)}>
              Cancel export
            </button>
          )}
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}

function Checkbox(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      {props.children}
    </label>
  );
}

/** Rows written, against the total when the host knows it. */
function ExportProgressBar({ update }: { update: ExportUpdate | null }) {
  const rows = update?.rows ?? 0;
  const total = update?.total ?? null;
  return (
    <>
      <progress aria-label="Exporting" value={total ? rows : undefined} max={total ?? undefined} />{' '}
      {total ? `${formatCount(rows)} of ${formatRows(total)}` : formatRows(rows)}
    </>
  );
}

function outcomeText(outcome: ExportOutcome, rows: number | undefined): string {
  const count = rows === undefined ? '' : ` (${formatRows(rows)})`;
  if (outcome.kind === 'download') return `Downloaded ${outcome.fileName}${count}`;
  if (outcome.kind === 'saved') return `Saved to ${outcome.path}${count}`;
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
