import { useId, useState, type KeyboardEvent } from 'react';
import type { ExtractionPreview } from '../../../shared/crawler-api';
import type { ExtractedValue } from '../../../shared/extraction';
import type { StoredJobSettings } from '../../../shared/job-settings';
import { errorMessage } from '../store/error-message';
import { useAppApi } from '../store/store-context';
import { firstLine, lines, readCrawlForm, type CrawlForm, type FieldErrors } from './form-model';

type TestState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; preview: ExtractionPreview }
  | { kind: 'error'; message: string };

/** Items of a rule that keeps every match shown before "and N more". */
const SHOWN_MATCHES = 50;

/**
 * "Test on a URL": the host fetches one URL with the form's settings
 * (User-Agent, headers and the rest) and runs the extraction rules on it;
 * each rule's values are shown as text, never as HTML.
 */
export function ExtractionTester({
  form,
  coreCount,
  kept,
}: {
  form: CrawlForm;
  coreCount: number;
  /** The settings the form does not show, of the job it was filled from (timeouts to connect…). */
  kept: StoredJobSettings | null;
}) {
  const api = useAppApi();
  const id = useId();
  const [url, setUrl] = useState('');
  const [state, setState] = useState<TestState>({ kind: 'idle' });

  const test = async () => {
    const testUrl = url.trim() || (firstLine(form.startUrls) ?? '');
    if (testUrl === '') return setState({ kind: 'error', message: 'enter a URL to test' });
    if (lines(form.extract).length === 0) {
      return setState({ kind: 'error', message: 'add an extraction rule to test' });
    }
    // The tested URL stands in for the start URLs, which may still be empty.
    const read = readCrawlForm({ ...form, startUrls: testUrl }, coreCount, kept);
    if (!read.ok) return setState({ kind: 'error', message: firstProblem(read.errors) });
    setState({ kind: 'running' });
    try {
      const preview = await api.previewExtraction({ url: testUrl, settings: read.input });
      setState({ kind: 'done', preview });
    } catch (error) {
      setState({ kind: 'error', message: errorMessage(error) });
    }
  };

  // Enter tests the URL; it must not submit the crawl form around it.
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void test();
  };

  return (
    <div className="extraction-tester">
      <div className="field">
        <label htmlFor={id}>Test on a URL</label>
        <div className="inline-controls">
          <input
            id={id}
            type="url"
            value={url}
            placeholder="empty: the first start URL"
            onChange={(event) => setUrl(event.target.value)}
            onKeyDown={onKeyDown}
            aria-describedby={`${id}-hint`}
            spellCheck={false}
          />
          <button type="button" onClick={() => void test()} disabled={state.kind === 'running'}>
            {state.kind === 'running' ? 'Testing…' : 'Test rules'}
          </button>
        </div>
        <small id={`${id}-hint`} className="hint">
          fetches one page with these settings and shows what each rule extracts
        </small>
      </div>
      <div aria-live="polite">
        {state.kind === 'error' && (
          <p className="error" role="alert">
            Test failed: {state.message}
          </p>
        )}
        {state.kind === 'done' && <PreviewResult preview={state.preview} />}
      </div>
    </div>
  );
}

function PreviewResult({ preview }: { preview: ExtractionPreview }) {
  return (
    <div className="extraction-preview">
      <p>
        HTTP {preview.status}
        {preview.contentType ? `, ${preview.contentType}` : ''}, from {preview.finalUrl}
      </p>
      {!preview.html ? (
        <p className="error">Not an HTML page: extraction rules run on HTML pages only.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Values extracted by each rule</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {preview.values.map(({ name, value }) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>
                  <RuleValue value={value} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RuleValue({ value }: { value: ExtractedValue }) {
  if (value === null || (Array.isArray(value) && value.length === 0)) {
    return <span className="hint">no match</span>;
  }
  if (!Array.isArray(value)) return <span className="extracted">{value}</span>;
  const more = value.length - SHOWN_MATCHES;
  return (
    <ol className="extracted">
      {value.slice(0, SHOWN_MATCHES).map((item, index) => (
        <li key={index}>{item}</li>
      ))}
      {more > 0 && <li className="hint">and {more} more</li>}
    </ol>
  );
}

/** Names of the fields whose problems can stop a test, as the form labels them. */
const FIELD_LABELS: Partial<Record<keyof FieldErrors, string>> = {
  startUrls: 'URL',
  extract: 'Extraction rules',
  headers: 'Headers',
  userAgent: 'User-Agent',
  include: 'Include patterns',
  exclude: 'Exclude patterns',
};

/** One message for the first field the form cannot turn into settings. */
function firstProblem(errors: FieldErrors): string {
  const [field, message] = Object.entries(errors)[0] ?? ['general', 'the form has a problem'];
  const label = FIELD_LABELS[field as keyof FieldErrors];
  return label ? `${label}: ${message}` : message;
}
