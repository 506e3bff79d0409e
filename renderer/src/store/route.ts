import { MAX_URL_LENGTH } from '../../../shared/limits';
import {
  DEFAULT_PAGE_COLUMNS,
  PAGE_COLUMNS,
  pageFiltersSchema,
  REPORT_NAMES,
  type PageColumn,
  type PageFilters,
  type PageQuery,
  type ReportName,
} from '../../../shared/results';

export type View = 'new' | 'jobs' | 'dashboard' | 'results' | 'compare';
/** What the results screen shows: the URL table or one of the reports. */
export type ResultsTab = 'urls' | ReportName;
export type TableSort = NonNullable<PageQuery['sort']>;

/** The URL table as the user arranged it: what it shows, in which order, and the page open. */
export interface ResultsView {
  tab: ResultsTab;
  filters: PageFilters;
  /** Null: crawl order. */
  sort: TableSort | null;
  /** The visible columns, in their order (`url` always among them). */
  columns: PageColumn[];
  /** The URL whose page detail is open. */
  page: string | null;
}

/**
 * A screen as the address names it, so that a reload, a bookmark or
 * back/forward shows it again: `#/new`, `#/jobs`, `#/jobs/12/dashboard`,
 * `#/jobs/12/results/broken-links?status=4xx&q=shoes`,
 * `#/jobs/12/results?sort=-bytes&cols=url,status,bytes&page=https://…`,
 * `#/jobs/12/compare/9` (job 12 against the older job 9). The results view
 * is the results screen's; the other screens ignore it.
 */
export interface Route extends ResultsView {
  view: View;
  /** Null: the dashboard or results with no job chosen yet. */
  jobId: number | null;
  /** The job the comparison screen compares `jobId` with; null: none chosen yet. */
  compareBase: number | null;
}

const JOB_ID = '[1-9]\\d{0,14}';
const JOB_PATH = new RegExp(
  `^jobs/(${JOB_ID})(?:/(?:(dashboard|results)(?:/([\\w-]+))?|(compare)(?:/(${JOB_ID}))?))?$`,
);

/** The route a location hash names; anything it does not recognise is the jobs list. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const cut = text.includes('?') ? text.indexOf('?') : text.length;
  const path = text.slice(0, cut).replace(/\/$/, '');
  const params = new URLSearchParams(text.slice(cut + 1));
  const route: Route = {
    view: 'jobs',
    jobId: null,
    tab: 'urls',
    filters: parseFilters(params),
    sort: parseSort(params.get('sort')),
    columns: parseColumns(params.get('cols')),
    page: parsePage(params.get('page')),
    compareBase: null,
  };
  if (path === 'new' || path === 'dashboard' || path === 'results') return { ...route, view: path };
  const match = JOB_PATH.exec(path);
  if (match === null) return route;
  const [, id, view = 'dashboard', report, compare, base] = match;
  if (compare) {
    return {
      ...route,
      view: 'compare',
      jobId: Number(id),
      compareBase: base ? Number(base) : null,
    };
  }
  return {
    ...route,
    view: view as 'dashboard' | 'results',
    jobId: Number(id),
    tab: REPORT_NAMES.find((name) => name === report) ?? 'urls',
  };
}

/** The location hash of a route: `parseRoute(formatRoute(route))` is the route again. */
export function formatRoute(route: Route): string {
  const { view, jobId, tab } = route;
  if (jobId === null || view === 'new' || view === 'jobs') return `#/${view}`;
  if (view === 'dashboard') return `#/jobs/${jobId}/dashboard`;
  if (view === 'compare') {
    return `#/jobs/${jobId}/compare${route.compareBase === null ? '' : `/${route.compareBase}`}`;
  }
  const query = readable(viewQuery(route));
  return `#/jobs/${jobId}/results${tab === 'urls' ? '' : `/${tab}`}${query && `?${query}`}`;
}

/** The address of a job's screen as it first opens (a link to it). */
export function jobAddress(view: 'dashboard' | 'results' | 'compare', jobId: number): string {
  return formatRoute({ view, jobId, compareBase: null, ...FIRST_RESULTS_VIEW });
}

/** A results view before the user changes it: the URL table, unfiltered, in crawl order. */
export const FIRST_RESULTS_VIEW: Readonly<ResultsView> = {
  tab: 'urls',
  filters: {},
  sort: null,
  columns: [...DEFAULT_PAGE_COLUMNS],
  page: null,
};

/**
 * Whether a part of two results views asks the same (the form leaves unset
 * filters `undefined`; an address read again makes new objects).
 */
export function sameViewPart(
  part: 'filters' | 'sort' | 'columns',
  a: ResultsView,
  b: ResultsView,
): boolean {
  const only = (view: ResultsView) => viewQuery({ ...FIRST_RESULTS_VIEW, [part]: view[part] });
  return only(a).toString() === only(b).toString();
}

/** Query parameters with `,` `:` `/` unescaped (a query may hold them): `cols=url,title`. */
function readable(params: URLSearchParams): string {
  return params.toString().replace(/%(2C|3A|2F)/g, (escape) => decodeURIComponent(escape));
}

/**
 * The results view as short query parameters a person can read and edit:
 * the filters, `sort=title` (`-title` descending), `cols=url,status` and
 * `page=URL`, each only when it is not the first view's.
 */
function viewQuery({ filters, sort, columns, page }: ResultsView): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of filters.statusClasses ?? []) params.append('status', name);
  if (filters.contentType !== undefined) params.set('type', filters.contentType);
  if (filters.indexable !== undefined) params.set('indexable', filters.indexable ? 'yes' : 'no');
  if (filters.scope !== undefined) params.set('urls', filters.scope);
  if (filters.text !== undefined) params.set('q', filters.text);
  if (sort !== null) params.set('sort', `${sort.direction === 'desc' ? '-' : ''}${sort.column}`);
  if (columns.join() !== DEFAULT_PAGE_COLUMNS.join()) params.set('cols', columns.join());
  if (page !== null) params.set('page', page);
  return params;
}

const isColumn = (name: string): name is PageColumn =>
  (PAGE_COLUMNS as readonly string[]).includes(name);

function parseSort(text: string | null): TableSort | null {
  const column = text?.replace(/^-/, '') ?? '';
  return isColumn(column) ? { column, direction: text!.startsWith('-') ? 'desc' : 'asc' } : null;
}

/** The columns named that exist, in their order, each once, the URL among them; else the default. */
function parseColumns(text: string | null): PageColumn[] {
  const named = [...new Set((text ?? '').split(',').filter(isColumn))];
  if (named.length === 0) return [...DEFAULT_PAGE_COLUMNS];
  return named.includes('url') ? named : ['url', ...named];
}

function parsePage(text: string | null): string | null {
  return text !== null && text !== '' && text.length <= MAX_URL_LENGTH ? text : null;
}

function parseFilters(params: URLSearchParams): PageFilters {
  const status = params.getAll('status');
  const indexable = params.get('indexable');
  const candidates: Record<string, unknown> = {
    statusClasses: status.length > 0 ? status : undefined,
    contentType: params.get('type') ?? undefined,
    indexable: indexable === 'yes' ? true : indexable === 'no' ? false : undefined,
    scope: params.get('urls') ?? undefined,
    text: params.get('q') ?? undefined,
  };
  // Each filter is checked on its own, as the host would check it: a mistyped
  // one is dropped and the others still apply.
  return Object.fromEntries(
    Object.entries(candidates).filter(
      ([key, value]) =>
        value !== undefined &&
        pageFiltersSchema.shape[key as keyof PageFilters].safeParse(value).success,
    ),
  ) as PageFilters;
}
