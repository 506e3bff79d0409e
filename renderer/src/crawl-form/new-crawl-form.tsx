import {
  useEffect,
  useId,
  useMemo,
  useState,
  type ChangeEvent,
  type FormEvent,
  type ReactNode,
} from 'react';
import { CRAWL_MODES } from '../../../shared/job-settings';
import { defaultJobName } from '../../../shared/results';
import { MAX_URL_LENGTH } from '../../../shared/limits';
import { SCOPE_MODES } from '../../../shared/scope';
import { MAX_URL_LIST_BYTES, urlListFileProblem, urlListText } from '../../../shared/url-list';
import { errorMessage } from '../store/error-message';
import { useApp, useAppApi } from '../store/store-context';
import {
  defaultCrawlForm,
  filledFormProblems,
  firstLine,
  formFromSettings,
  hiddenSettings,
  impliedRobotsAgent,
  lastStartUrlsReader,
  nextJobName,
  readCrawlForm,
  type CrawlForm,
  type FieldErrors,
  type FormField,
  type StartUrls,
} from './form-model';
import { ExtractionTester } from './extraction-tester';
import { DraftWriter, loadDraft, type DraftOutcome, type DraftSource } from './form-draft';
import { PresetBar } from './preset-bar';

/**
 * A list longer than this (characters: some 20,000 URLs, tens of ms to check)
 * is checked once typing in the form pauses for LIST_CHECK_DELAY_MS, not at
 * each keystroke: a million URLs take about a second.
 */
const LONG_LIST_CHARS = 1_000_000;
const LIST_CHECK_DELAY_MS = 300;

const MODE_HELP: Record<(typeof CRAWL_MODES)[number], string> = {
  spider: 'follow links from the start URLs',
  list: 'fetch exactly these URLs',
  sitemap: "seed from the site's sitemaps, then follow links",
};

/** The New crawl screen: every field validated inline with the job-settings schema. */
export function NewCrawlForm({ coreCount }: { coreCount: number }) {
  // Clear form draws a new form, whose every piece of state starts as on a first visit.
  const [clears, setClears] = useState(0);
  return (
    <CrawlFormFields
      key={clears}
      coreCount={coreCount}
      cleared={clears > 0}
      onClear={() => setClears((count) => count + 1)}
    />
  );
}

function CrawlFormFields(props: { coreCount: number; cleared: boolean; onClear: () => void }) {
  const { coreCount } = props;
  const startJob = useApp((state) => state.startJob);
  // What this tab had typed before a reload or another screen, else an empty form.
  const [draft] = useState(loadDraft);
  const [form, setForm] = useState<CrawlForm>(() => draft?.form ?? defaultCrawlForm(coreCount));
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [touched, setTouched] = useState(draft?.touched ?? false);
  // The job the form was filled from: the settings it does not show are kept from it
  // (and its start URLs as read, until a reload).
  const [source, setSource] = useState<(DraftSource & { startUrls?: string }) | null>(
    draft?.source ?? null,
  );
  // False once the user asks for a new job's defaults instead.
  const [keepHidden, setKeepHidden] = useState(draft?.keepHidden ?? true);
  const [name, setName] = useState(draft?.name ?? '');
  const kept = keepHidden ? (source?.settings ?? null) : null;
  // The list is read again only when it changes, not at each keystroke in another field.
  const [startUrlsOf] = useState(() => lastStartUrlsReader());
  const read = (next: CrawlForm, startUrls: (text: string) => StartUrls = startUrlsOf) =>
    readCrawlForm(next, coreCount, kept, startUrls);
  const [errors, setErrors] = useState<FieldErrors>(() => {
    const result = touched ? read(form) : null;
    return result?.ok === false ? result.errors : {};
  });
  // A long list changed since it was last read: it is read once typing pauses.
  const [listCheckDue, setListCheckDue] = useState(false);
  useEffect(() => {
    if (!listCheckDue) return;
    const timer = setTimeout(() => {
      const result = read(form);
      setErrors(result.ok ? {} : result.errors);
      setListCheckDue(false);
    }, LIST_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [listCheckDue, form, coreCount, kept, startUrlsOf]);

  const [writer] = useState(() => new DraftWriter());
  const [draftOutcome, setDraftOutcome] = useState<DraftOutcome>('saved');
  // Start URLs too many to keep across the reload: said until the field is filled again.
  const [urlsLeftOut, setUrlsLeftOut] = useState(draft?.urlsLeftOut ?? 0);
  const urlsFromSource = source?.startUrls !== undefined && form.startUrls === source.startUrls;
  useEffect(() => {
    setDraftOutcome(writer.save({ form, name, touched, source, keepHidden, urlsFromSource }));
    if (form.startUrls !== '') setUrlsLeftOut(0);
  }, [writer, form, name, touched, source, keepHidden, urlsFromSource]);
  // The job whose own list, too long to keep, is read from it again (until the form is cleared).
  const api = useAppApi();
  const [refillFrom, setRefillFrom] = useState(
    draft?.urlsFromSource ? (draft.source?.jobId ?? null) : null,
  );
  const [refillError, setRefillError] = useState<string | null>(null);
  useEffect(() => {
    if (refillFrom === null) return;
    let wanted = true;
    api.getJobSettings(refillFrom).then(
      ({ startUrls }) => {
        if (!wanted) return;
        setForm((current) => (current.startUrls === '' ? { ...current, startUrls } : current));
        setSource((current) =>
          current?.jobId === refillFrom ? { ...current, startUrls } : current,
        );
        setErrors(({ startUrls: _, ...others }) => others);
        setRefillFrom(null);
      },
      (error: unknown) => wanted && setRefillError(errorMessage(error)),
    );
    return () => {
      wanted = false;
    };
  }, [api, refillFrom]);
  const clear = () => {
    writer.discard(); // the new form finds no draft
    props.onClear();
  };

  const update = (next: CrawlForm) => {
    setForm(next);
    // After a first submit, problems update as the user fixes them.
    if (!touched) return;
    const later = next.startUrls.length > LONG_LIST_CHARS && !startUrlsOf.has(next.startUrls);
    // Till then the list's problem stays as shown; Start crawl reads the list itself.
    const result = later ? read(next, () => ({ urls: [], problem: errors.startUrls })) : read(next);
    setErrors(result.ok ? {} : result.errors);
    setListCheckDue(later);
  };
  const set = <K extends FormField>(field: K, value: CrawlForm[K]) =>
    update({ ...form, [field]: value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    setSubmitError(null);
    const result = read(form);
    setListCheckDue(false);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      await startJob(result.input, name.trim());
      writer.discard();
    } catch (error) {
      setSubmitError(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  // File → Import URL List… in the desktop app: main read the file.
  const importedUrlList = useApp((state) => state.importedUrlList);
  const clearImportedUrlList = useApp((state) => state.clearImportedUrlList);
  useEffect(() => {
    if (importedUrlList === null) return;
    setForm((current) => ({ ...current, startUrls: importedUrlList, mode: 'list' }));
    clearImportedUrlList();
  }, [importedUrlList, clearImportedUrlList]);

  // "New crawl from these settings" of a job (jobs list, dashboard): the host read them.
  const formSource = useApp((state) => state.formSource);
  const clearFormSource = useApp((state) => state.clearFormSource);
  const jobNames = useApp((state) => state.jobs.map((job) => job.name).join('\n'));
  useEffect(() => {
    if (formSource === null) return;
    setForm(formFromSettings(formSource.settings, formSource.startUrls, coreCount));
    setSource(formSource);
    setKeepHidden(true);
    setName(nextJobName(formSource.name, jobNames.split('\n')));
    // A setting a new job cannot take as the job had it is marked at once, and as it is fixed.
    const { errors: problems } = filledFormProblems(formSource.settings, coreCount);
    setErrors(problems);
    setTouched(Object.keys(problems).length > 0);
    setSubmitError(null);
    clearFormSource();
  }, [formSource, clearFormSource, coreCount, jobNames]);
  const loadPreset = (preset: CrawlForm) => {
    setSource(null); // a preset is a whole form: nothing is kept from a job any more
    setRefillFrom(null);
    update(preset);
  };

  const importList = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    // The same checks as the desktop app's File → Import URL List….
    const bytes =
      file.size > MAX_URL_LIST_BYTES ? undefined : new Uint8Array(await file.arrayBuffer());
    const problem = urlListFileProblem(file.name, file.size, bytes);
    setErrors(({ startUrls: _, ...others }) =>
      problem ? { ...others, startUrls: problem } : others,
    );
    if (!problem && bytes) update({ ...form, startUrls: urlListText(bytes), mode: 'list' });
  };

  // What every field of the form reads and writes.
  const bound = { form, errors, set };
  const invalid = Object.keys(errors).length > 0;
  return (
    <form className="crawl-form" onSubmit={submit} noValidate aria-labelledby="new-crawl-title">
      <div className="screen-head">
        <h2 id="new-crawl-title">New crawl</h2>
        <PresetBar form={form} onLoad={loadPreset} />
      </div>
      {source && (
        <SourceNote
          source={source}
          coreCount={coreCount}
          keepHidden={keepHidden}
          onKeepHidden={setKeepHidden}
        />
      )}

      <Field label="Job name" hint="as the jobs list shows it; empty: the first start URL's host">
        {(control) => (
          <input
            {...control}
            // Where typing starts again once the form is cleared (its button is gone).
            autoFocus={props.cleared}
            value={name}
            maxLength={200}
            onChange={(event) => setName(event.target.value)}
            placeholder={defaultJobName(firstLine(form.startUrls) ?? null) ?? ''}
          />
        )}
      </Field>

      <LinesField
        label="Start URLs"
        hint={startUrlsHint({
          urlsLeftOut,
          refilling: refillFrom !== null,
          refillError,
          draftOutcome,
          urlsFromSource,
          jobId: source?.jobId,
        })}
        field="startUrls"
        rows={4}
        placeholder="https://example.com/"
        {...bound}
      />
      <label className="file-button">
        Import URL list…
        <input type="file" accept=".txt,.csv,text/plain" onChange={importList} />
      </label>

      <fieldset>
        <legend>What to crawl</legend>
        <div className="grid">
          <Field label="Mode" hint={MODE_HELP[form.mode]} error={errors.mode}>
            {(props) => (
              <select
                {...props}
                value={form.mode}
                onChange={(event) => set('mode', event.target.value as CrawlForm['mode'])}
              >
                {CRAWL_MODES.map((mode) => (
                  <option key={mode} value={mode}>
                    {mode}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Scope" hint="which links are followed" error={errors.scope}>
            {(props) => (
              <select
                {...props}
                value={form.scope}
                onChange={(event) => set('scope', event.target.value as CrawlForm['scope'])}
              >
                {SCOPE_MODES.map((scope) => (
                  <option key={scope} value={scope}>
                    {scope}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <NumberField label="Max pages" hint="empty: no limit" field="maxPages" {...bound} />
          <NumberField
            label="Max depth"
            hint="start URLs are depth 0"
            field="maxDepth"
            {...bound}
          />
        </div>
        <LinesField
          label="Include patterns"
          hint="regular expressions, one per line; follow only matching URLs"
          field="include"
          {...bound}
        />
        <LinesField
          label="Exclude patterns"
          hint="regular expressions, one per line; never follow matching URLs"
          field="exclude"
          {...bound}
        />
        <CheckboxField
          label="Follow nofollow links (rel=nofollow, and pages whose meta robots or X-Robots-Tag says nofollow)"
          field="followNofollow"
          {...bound}
        />
      </fieldset>

      <fieldset>
        <legend>URL rules</legend>
        <CheckboxField
          label="Strip tracking parameters (utm_*, gclid, fbclid and the like) from links"
          field="stripTrackingParams"
          {...bound}
        />
        <LinesField
          label="Strip parameters"
          hint="names, one per line, in any case: dropped from every link's query and ;name= path, so a session id (jsessionid, PHPSESSID, sid) does not make each visit's links new pages"
          field="stripParams"
          placeholder="jsessionid"
          {...bound}
        />
        <CheckboxField
          label="Sort query parameters (?b=1&a=2 and ?a=2&b=1 are one page)"
          field="sortQueryParams"
          {...bound}
        />
        <div className="grid">
          <NumberField
            label="Max query parameters"
            hint="links with more are stored, not followed (filter combinations); empty: no limit"
            field="maxQueryParams"
            {...bound}
          />
          <NumberField
            label="Max URL length"
            hint={`20 to ${MAX_URL_LENGTH} characters; longer links are stored, not followed`}
            field="maxUrlLength"
            {...bound}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Speed and politeness</legend>
        <div className="grid">
          <NumberField
            label="Worker processes"
            hint={`1 to ${coreCount}; ${coreCount} CPU cores detected`}
            field="workers"
            {...bound}
          />
          <NumberField label="Requests in flight per worker" field="concurrency" {...bound} />
          <NumberField label="Requests per host at once" field="hostConcurrency" {...bound} />
          <NumberField label="Delay per host (ms)" field="hostDelayMs" {...bound} />
          <NumberField
            label="Requests per second (whole job)"
            hint="may be a fraction, such as 0.5; empty: no cap"
            field="maxRequestsPerSecond"
            fraction
            {...bound}
          />
        </div>
        <CheckboxField label="Obey robots.txt" field="obeyRobots" {...bound} />
        <Field
          label="When robots.txt is unavailable"
          hint="it answers 5xx or 429, or not at all, after the retries"
          error={errors.robotsUnavailable}
        >
          {(props) => (
            <select
              {...props}
              value={form.robotsUnavailable}
              disabled={!form.obeyRobots}
              onChange={(event) =>
                set('robotsUnavailable', event.target.value as CrawlForm['robotsUnavailable'])
              }
            >
              <option value="disallow">block its host (RFC 9309)</option>
              <option value="allow">crawl as if it allowed everything</option>
            </select>
          )}
        </Field>
        <CheckboxField
          label="Check external links (one request each, never crawled)"
          field="checkExternal"
          {...bound}
        />
      </fieldset>

      <fieldset>
        <legend>Requests and extraction</legend>
        <Field label="User-Agent" error={errors.userAgent}>
          {(props) => (
            <input
              {...props}
              value={form.userAgent}
              onChange={(event) => set('userAgent', event.target.value)}
              spellCheck={false}
            />
          )}
        </Field>
        <Field
          label="robots.txt user-agent"
          hint="the robots.txt group obeyed; empty: the User-Agent's product token"
          error={errors.robotsUserAgent}
        >
          {(props) => (
            <input
              {...props}
              value={form.robotsUserAgent}
              onChange={(event) => set('robotsUserAgent', event.target.value)}
              placeholder={impliedRobotsAgent(form)}
              spellCheck={false}
            />
          )}
        </Field>
        <LinesField label="Headers" hint='one "Name: value" per line' field="headers" {...bound} />
        <div className="grid">
          <NumberField label="Request timeout (ms)" field="timeoutMs" {...bound} />
          <Field label="Proxy" hint="http(s) URL; empty: none" error={errors.proxy}>
            {(props) => (
              <input
                {...props}
                value={form.proxy}
                onChange={(event) => set('proxy', event.target.value)}
                placeholder="http://proxy.local:3128"
                spellCheck={false}
              />
            )}
          </Field>
        </div>
        <LinesField
          label="Basic auth"
          hint="one host=user:password per line; sent only to that host"
          field="basicAuth"
          {...bound}
        />
        <CheckboxField label="Keep cookies the site sets" field="cookies" {...bound} />
        <CheckboxField
          label="Accept certificates that do not verify (self-signed, expired)"
          field="ignoreTlsErrors"
          {...bound}
        />
        <LinesField
          label="Extraction rules"
          hint="one per line: NAME=css:SELECTOR, NAME=css:SELECTOR@attr, NAME=regex:PATTERN; NAME[]= keeps every match"
          field="extract"
          {...bound}
        />
        <ExtractionTester form={form} coreCount={coreCount} kept={kept} />
      </fieldset>

      {errors.general && (
        <p className="error" role="alert">
          {errors.general}
        </p>
      )}
      {submitError && (
        <p className="error" role="alert">
          The host refused the job: {submitError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={submitting}>
          {submitting ? 'Starting…' : 'Start crawl'}
        </button>
        <button type="button" onClick={clear}>
          Clear form
        </button>
        {invalid && <span className="error-count">Fix the fields marked above.</span>}
        {draftOutcome === 'not-saved' && (
          <span className="hint">This form is too large to keep if the page reloads.</span>
        )}
      </div>
    </form>
  );
}

/** What the Start URLs field says, and whether the tab keeps its list across a reload. */
function startUrlsHint(props: {
  /** Start URLs the reload left out; `refilling`: they are read from the source job again. */
  urlsLeftOut: number;
  refilling: boolean;
  refillError: string | null;
  draftOutcome: DraftOutcome;
  urlsFromSource: boolean;
  jobId: number | undefined;
}): string {
  const { urlsLeftOut, refillError, jobId } = props;
  const tooMany = `The ${urlsLeftOut.toLocaleString('en-US')} start URLs you had were too many to keep across the reload`;
  if (urlsLeftOut > 0 && !props.refilling) return `${tooMany}: paste or import them again.`;
  if (urlsLeftOut > 0 && refillError !== null) {
    return `${tooMany}, and job ${jobId} could not be read again (${refillError}): paste or import them again.`;
  }
  if (urlsLeftOut > 0) return `${tooMany}: reading them from job ${jobId} again…`;
  if (props.draftOutcome !== 'urls-left-out') return 'One per line; paste a list or import a file.';
  return props.urlsFromSource
    ? `One per line. This list is too long for the tab to keep; a reload reads it from job ${jobId} again.`
    : 'One per line. This list is too long to keep if the page reloads (a tab keeps about 5 MB): keep its file to import it again.';
}

/**
 * Which job the form was filled from, and what the new job keeps from it
 * that the form does not show, or gives a new job's defaults instead.
 */
function SourceNote(props: {
  source: DraftSource;
  coreCount: number;
  keepHidden: boolean;
  onKeepHidden: (keep: boolean) => void;
}) {
  const { jobId, name, settings } = props.source;
  // Worked out once: the note is drawn again at every keystroke in the form.
  const hidden = useMemo(() => hiddenSettings(settings), [settings]);
  const changed = useMemo(
    () => filledFormProblems(settings, props.coreCount).changed,
    [settings, props.coreCount],
  );
  return (
    <div className="source-note" role="status">
      <p>
        Filled from the settings of job {jobId} ({name}). Starting makes a new job; job {jobId} and
        its results stay as they are.
        {settings.workers > props.coreCount &&
          ` Job ${jobId} ran with ${settings.workers} workers; this machine has ${props.coreCount} cores.`}
      </p>
      {changed.length > 0 && (
        <p className="error">
          The form cannot hold these settings of job {jobId} exactly as they were (a line starting
          with # is a comment, an item holds no line break): check <code>{changed.join(', ')}</code>{' '}
          before starting.
        </p>
      )}
      {hidden.length > 0 && (
        <p>
          {props.keepHidden ? 'Kept from' : 'A new job’s defaults instead of'} job {jobId}, not
          shown in this form: <code>{hidden.join(', ')}</code>.{' '}
          <button type="button" onClick={() => props.onKeepHidden(!props.keepHidden)}>
            {props.keepHidden ? 'Use the defaults instead' : `Keep job ${jobId}’s`}
          </button>
        </p>
      )}
    </div>
  );
}

interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string;
}

/** A labelled control with its hint and inline error, wired for screen readers. */
function Field(props: {
  label: string;
  hint?: string;
  error?: string | undefined;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`field${props.error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        'aria-invalid': props.error !== undefined,
        'aria-describedby': `${id}-hint ${id}-error`,
      })}
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
      <small id={`${id}-error`} className="error" aria-live="polite">
        {props.error ?? ''}
      </small>
    </div>
  );
}

type LinesFieldName =
  'startUrls' | 'include' | 'exclude' | 'headers' | 'extract' | 'basicAuth' | 'stripParams';

/** A textarea of one item per line. */
function LinesField(props: {
  label: string;
  hint?: string;
  field: LinesFieldName;
  rows?: number;
  placeholder?: string;
  form: CrawlForm;
  errors: FieldErrors;
  set: (field: LinesFieldName, value: string) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.errors[props.field]}>
      {(control) => (
        <textarea
          {...control}
          rows={props.rows ?? 2}
          value={props.form[props.field]}
          onChange={(event) => props.set(props.field, event.target.value)}
          placeholder={props.placeholder}
          spellCheck={false}
        />
      )}
    </Field>
  );
}

type NumberFieldName =
  | 'maxPages'
  | 'maxDepth'
  | 'workers'
  | 'concurrency'
  | 'hostConcurrency'
  | 'hostDelayMs'
  | 'timeoutMs'
  | 'maxRequestsPerSecond'
  | 'maxQueryParams'
  | 'maxUrlLength';

type CheckboxFieldName =
  | 'obeyRobots'
  | 'cookies'
  | 'ignoreTlsErrors'
  | 'checkExternal'
  | 'followNofollow'
  | 'stripTrackingParams'
  | 'sortQueryParams';

function CheckboxField(props: {
  label: string;
  field: CheckboxFieldName;
  form: CrawlForm;
  set: (field: CheckboxFieldName, value: boolean) => void;
}) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={props.form[props.field]}
        onChange={(event) => props.set(props.field, event.target.checked)}
      />
      {props.label}
    </label>
  );
}

function NumberField(props: {
  label: string;
  hint?: string;
  field: NumberFieldName;
  /** Takes a decimal point (a phone's keyboard shows one). */
  fraction?: boolean;
  form: CrawlForm;
  errors: FieldErrors;
  set: (field: NumberFieldName, value: string) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.errors[props.field]}>
      {(control) => (
        <input
          {...control}
          inputMode={props.fraction ? 'decimal' : 'numeric'}
          value={props.form[props.field]}
          onChange={(event) => props.set(props.field, event.target.value)}
        />
      )}
    </Field>
  );
}
