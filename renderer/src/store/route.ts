import {
  pageFiltersSchema,
  REPORT_NAMES,
  type PageFilters,
  type ReportName,
} from '../../../shared/results';

export type View = 'new' | 'jobs' | 'dashboard' | 'results';
/** What the results screen shows: the URL table or one of the reports. */
export type ResultsTab = 'urls' | ReportName;

/**
 * A screen as the address names it, so that a reload, a bookmark or
 * back/forward shows it again: `#/new`, `#/jobs`, `#/jobs/12/dashboard`,
 * `#/jobs/12/results/broken-links?status=4xx&q=shoes`. `tab` and `filters`
 * are the results screen's; the other screens ignore them.
 */
export interface Route {
  view: View;
  /** Null: the dashboard or results with no job chosen yet. */
  jobId: number | null;
  tab: ResultsTab;
  filters: PageFilters;
}

const JOB_PATH = /^jobs\/([1-9]\d{0,14})(?:\/(dashboard|results)(?:\/([\w-]+))?)?$/;

/** The route a location hash names; anything it does not recognise is the jobs list. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const cut = text.includes('?') ? text.indexOf('?') : text.length;
  const path = text.slice(0, cut).replace(/\/$/, '');
  const route: Route = {
    view: 'jobs',
    jobId: null,
    tab: 'urls',
    filters: parseFilters(new URLSearchParams(text.slice(cut + 1))),
  };
  if (path === 'new' || path === 'dashboard' || path === 'results') return { ...route, view: path };
  const match = JOB_PATH.exec(path);
  if (match === null) return route;
  const [, id, view = 'dashboard', report] = match;
  return {
    ...route,
    view: view as 'dashboard' | 'results',
    jobId: Number(id),
    tab: REPORT_NAMES.find((name) => name === report) ?? 'urls',
  };
}

/** The location hash of a route: `parseRoute(formatRoute(route))` is the route again. */
export function formatRoute({ view, jobId, tab, filters }: Route): string {
  if (jobId === null || view === 'new' || view === 'jobs') return `#/${view}`;
  if (view === 'dashboard') return `#/jobs/${jobId}/dashboard`;
  const query = filtersQuery(filters);
  return `#/jobs/${jobId}/results${tab === 'urls' ? '' : `/${tab}`}${query && `?${query}`}`;
}

/** Whether two sets of filters ask the same (the form leaves unset fields `undefined`). */
export function sameFilters(a: PageFilters, b: PageFilters): boolean {
  return filtersQuery(a) === filtersQuery(b);
}

/** The filters the results screen offers, as short query parameters a person can read and edit. */
function filtersQuery(filters: PageFilters): string {
  const params = new URLSearchParams();
  for (const name of filters.statusClasses ?? []) params.append('status', name);
  if (filters.contentType !== undefined) params.set('type', filters.contentType);
  if (filters.indexable !== undefined) params.set('indexable', filters.indexable ? 'yes' : 'no');
  if (filters.scope !== undefined) params.set('urls', filters.scope);
  if (filters.text !== undefined) params.set('q', filters.text);
  return params.toString();
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
